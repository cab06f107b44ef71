package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lsr beir --model} with the real tiny ONNX masked-LM from {@code ../shared}: the corpus is
 * encoded through the cache once, and the second run takes it from the cache without running
 * the encoder. Skips (with the reason) when {@code ../shared} is absent.
 */
class TinyModelBeirTest {

    @TempDir
    static Path tmp;

    static Path modelDir;

    @BeforeAll
    static void importTinyModel() throws IOException {
        Path shared = Path.of(System.getProperty("lsr.shared", "../shared"));
        Path onnx = shared.resolve("models/tiny-mlm/model.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(onnx), "skipped: " + onnx + " is absent (needs ../shared)");
        modelDir = tmp.resolve("tiny-mlm");
        OnnxImporter.importModel(onnx, shared.resolve("models/tiny-mlm/tokenizer.json"), modelDir, "tiny-mlm", HeadDType.FP32);
    }

    @Test
    void encodesOnceThenRunsFromTheCache() throws IOException {
        Path data = BeirFixture.write(tmp.resolve("fixture"));
        Path cache = tmp.resolve("cache");
        Path first = tmp.resolve("first.json");
        BeirCommandTest.Result r1 = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--model", modelDir.toString(), "--cache", cache.toString(), "--mode", "exact,approximate,hybrid",
                "--query-mode", "full,inference-free", "--json", first.toString(), "--warmup", "1", "--quiet");
        assertThat(r1.code()).as(r1.err()).isZero();
        JsonNode j1 = JsonMapper.builder().build().readTree(first.toFile());
        assertThat(j1.get("encoding").get("docs_encoded_now").asInt()).isEqualTo(12);
        assertThat(j1.get("encode_docs_per_s").asDouble()).isPositive();
        assertThat(j1.get("model").get("name").asString()).isEqualTo("tiny-mlm");
        // exact, approximate, hybrid for each query mode
        JsonNode runs = j1.get("runs");
        List<String> labels = new ArrayList<>();
        runs.forEach(run -> labels.add(run.get("mode").asString() + " " + run.get("params").get("query_mode").asString()));
        assertThat(labels).containsExactly("exact full", "exact inference-free", "approximate full",
                "approximate inference-free", "hybrid full", "hybrid inference-free");
        // Twelve documents leave Seismic nothing to skip: approximate is exact, query for query, in both
        // query modes (the tiny model is random, so the measures themselves carry no meaning).
        for (int m = 0; m < 2; m++) {
            JsonNode exact = runs.get(m);
            JsonNode approximate = runs.get(2 + m);
            assertThat(approximate.get("per_query_ndcg@10")).isEqualTo(exact.get("per_query_ndcg@10"));
            assertThat(approximate.get("recall_vs_exact@10").asDouble()).isEqualTo(1.0);
            assertThat(exact.get("per_query_ndcg@10")).hasSize(4);
        }

        Path second = tmp.resolve("second.json");
        BeirCommandTest.Result r2 = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--model", modelDir.toString(), "--cache", cache.toString(), "--mode", "exact",
                "--json", second.toString(), "--quiet");
        assertThat(r2.code()).as(r2.err()).isZero();
        JsonNode j2 = JsonMapper.builder().build().readTree(second.toFile());
        // the encoder did not see a single document: everything came from the cache
        assertThat(j2.get("encoding").get("docs_encoded_now").asInt()).isZero();
        assertThat(j2.get("encoding").get("docs_from_cache").asInt()).isEqualTo(12);
        assertThat(j2.has("encode_docs_per_s")).isFalse();
        assertThat(r2.err()).contains("encoder not run");
        assertThat(j2.get("runs").get(0).get("ndcg@10").asDouble())
                .isEqualTo(j1.get("runs").get(0).get("ndcg@10").asDouble());
    }

    @Test
    void logitCacheGivesTheEncodersOwnVectors() throws IOException {
        Path data = BeirFixture.write(tmp.resolve("fixture2"));
        Path cache = tmp.resolve("cache2");
        Path direct = tmp.resolve("direct.json");
        Path viaLogits = tmp.resolve("logits.json");
        BeirCommandTest.Result a = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--model", modelDir.toString(), "--cache", cache.toString(), "--mode", "exact", "--doc-top-k", "64",
                "--json", direct.toString(), "--quiet");
        assertThat(a.code()).as(a.err()).isZero();
        BeirCommandTest.Result b = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--model", modelDir.toString(), "--cache", cache.toString(), "--mode", "exact", "--doc-top-k", "64",
                "--keep-logits", "--json", viaLogits.toString(), "--quiet");
        assertThat(b.code()).as(b.err()).isZero();
        JsonMapper json = JsonMapper.builder().build();
        JsonNode ja = json.readTree(direct.toFile());
        JsonNode jb = json.readTree(viaLogits.toFile());
        assertThat(jb.get("doc_terms_mean").asDouble()).isEqualTo(ja.get("doc_terms_mean").asDouble());
        assertThat(jb.get("runs").get(0).get("per_query_ndcg@10")).isEqualTo(ja.get("runs").get(0).get("per_query_ndcg@10"));
    }

    /**
     * The model's recommended settings (model.json "encoder": centring_percentile, query_mode, top_k)
     * apply when no option overrides them: offsets fitted on the corpus through the logit cache,
     * inference-free queries. Once {@code lsr model centring} has stored term_offsets.bin, the
     * stored offsets are used instead of fitting.
     */
    @Test
    void modelRecommendedDefaultsApplyAndCentringCommandStoresOffsets() throws IOException {
        Path model = tmp.resolve("tiny-zero-shot");
        Files.createDirectories(model);
        try (var files = Files.list(modelDir)) {
            for (Path f : files.toList()) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
        JsonMapper json = JsonMapper.builder().build();
        var info = (tools.jackson.databind.node.ObjectNode) json.readTree(model.resolve("model.json").toFile());
        var enc = (tools.jackson.databind.node.ObjectNode) info.get("encoder");
        enc.put("top_k", 32).put("centring_percentile", 90.0).put("query_mode", "inference-free");
        Files.writeString(model.resolve("model.json"), json.writeValueAsString(info));

        Path data = BeirFixture.write(tmp.resolve("fixture3"));
        Path cache = tmp.resolve("cache3");
        Path out = tmp.resolve("defaults.json");
        BeirCommandTest.Result r = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--model", model.toString(), "--cache", cache.toString(), "--mode", "exact",
                "--json", out.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = json.readTree(out.toFile());
        assertThat(j.get("sparsity").get("centring_percentile").asDouble()).isEqualTo(90.0);
        assertThat(j.get("sparsity").get("doc_top_k").asInt()).isEqualTo(32);
        assertThat(j.get("doc_terms_mean").asDouble()).isBetween(1.0, 32.0);
        assertThat(j.get("runs").get(0).get("params").get("query_mode").asString()).isEqualTo("inference-free");

        assertThat(dev.lsr.eval.cli.Main.run("model", "centring", "--model", model.toString(),
                "--corpus", data.resolve("corpus.jsonl").toString(), "--sample", "6")).isZero();
        assertThat(model.resolve("term_offsets.bin")).isRegularFile();
        Path out2 = tmp.resolve("stored.json");
        BeirCommandTest.Result r2 = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--model", model.toString(), "--cache", cache.toString(), "--mode", "exact",
                "--json", out2.toString(), "--quiet");
        assertThat(r2.code()).as(r2.err()).isZero();
        JsonNode j2 = json.readTree(out2.toFile());
        assertThat(j2.has("sparsity")).as("stored offsets: nothing fitted on the corpus").isFalse();
        assertThat(j2.get("model").get("options").asString()).doesNotContain("centring=none");

        // No --mode: the model's recommended search, as the service runs a request without a mode.
        Path out3 = tmp.resolve("no-mode.json");
        assertThat(BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test", "--model", modelDir.toString(),
                "--cache", cache.toString(), "--json", out3.toString(), "--quiet").code()).isZero();
        assertThat(json.readTree(out3.toFile()).get("runs").get(0).get("mode").asString())
                .as("a model that recommends nothing").isEqualTo("approximate");
        enc.put("hybrid_fusion", "linear").put("hybrid_sparse_weight", 0.4);
        Files.writeString(model.resolve("model.json"), json.writeValueAsString(info));
        BeirCommandTest.Result r3 = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--model", model.toString(), "--cache", cache.toString(), "--json", out3.toString(), "--quiet");
        assertThat(r3.code()).as(r3.err()).isZero();
        JsonNode runs = json.readTree(out3.toFile()).get("runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("mode").asString()).as("a model that recommends a fusion").isEqualTo("hybrid");
        assertThat(runs.get(0).get("params").toString()).contains("linear").contains("0.4");

        assertThat(dev.lsr.eval.cli.Main.run("model", "centring", "--model", model.toString(),
                "--corpus", tmp.resolve("missing.jsonl").toString())).isEqualTo(2);
        assertThat(dev.lsr.eval.cli.Main.run("model", "centring", "--model", model.toString(),
                "--corpus", data.resolve("corpus.jsonl").toString(), "--percentile", "0")).isEqualTo(2);
    }
}
