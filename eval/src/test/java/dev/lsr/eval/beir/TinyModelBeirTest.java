package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                "--model", modelDir.toString(), "--cache", cache.toString(), "--mode", "exact,approximate,bm25,hybrid",
                "--query-mode", "full,inference-free", "--json", first.toString(), "--warmup", "1", "--quiet");
        assertThat(r1.code()).as(r1.err()).isZero();
        JsonNode j1 = JsonMapper.builder().build().readTree(first.toFile());
        assertThat(j1.get("encoding").get("docs_encoded_now").asInt()).isEqualTo(12);
        assertThat(j1.get("encode_docs_per_s").asDouble()).isPositive();
        assertThat(j1.get("model").get("name").asString()).isEqualTo("tiny-mlm");
        // exact, approximate, hybrid for each query mode, plus bm25 once
        assertThat(j1.get("runs")).hasSize(7);
        for (JsonNode run : j1.get("runs")) {
            assertThat(run.get("ndcg@10").asDouble()).isBetween(0.0, 1.0);
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
}
