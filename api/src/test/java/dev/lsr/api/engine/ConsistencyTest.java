package dev.lsr.api.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.OnnxImporter;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import dev.lsr.engine.Query;
import dev.lsr.engine.SearchResult;
import dev.lsr.eval.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The same query on the same collection ranks the same through {@code lsr beir}, the {@link Engine}
 * and the REST API. {@code lsr beir} builds the collection (in the service's data directory) with a
 * zero-shot model (the tiny model carrying the default BERT model's recommendations: corpus
 * centring, inference-free queries, hybrid linear 0.4) and writes its run; then the service's engine
 * and a REST request that names nothing but the query must give the run's ranking.
 */
class ConsistencyTest extends ApiTestBase {

    @TempDir
    static Path tmp;

    @Autowired
    Engine engine;

    static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("q1", "espresso coffee");
        QUERIES.put("q2", "music piano");
        QUERIES.put("q3", "space rocket orbit");
        QUERIES.put("q4", "ball tennis");
    }

    @Test
    void beirEngineAndRestRankAlike() throws IOException {
        assumeTinyModel();
        Path model = zeroShotTinyModel(tmp.resolve("tiny-zero-shot"));
        Path data = fixture(tmp.resolve("fixture"));
        Path run = tmp.resolve("run.trec");
        String err = beir("beir", "--data", data.toString(), "--split", "test", "--model", model.toString(), "--mode", "hybrid",
                "--collection", engine.dataDir().toString(), "--run", run.toString(), "--cache", tmp.resolve("cache").toString(),
                "--warmup", "0", "--quiet", "--json", tmp.resolve("beir.json").toString());
        Map<String, List<String>> beirRanking = readRun(run);
        assertThat(beirRanking).as(err).containsOnlyKeys(QUERIES.keySet());
        // The same fusion as the engine's: the model's linear 0.4 (on four queries rrf can rank alike).
        JsonNode params = JSON.readTree(tmp.resolve("beir.json").toFile()).get("runs").get(0).get("params");
        assertThat(params.get("fusion").asString()).isEqualTo("linear");
        assertThat(params.get("sparse_weight").asDouble()).isEqualTo(0.4);

        EngineCollection c = engine.collection("beir");
        assertThat(c.centring().status()).as("the run's corpus centring went with the collection").isEqualTo("fitted");
        for (Map.Entry<String, String> q : QUERIES.entrySet()) {
            SearchResult viaEngine = c.search(Query.text(q.getValue()).withK(MAX_K));
            assertThat(viaEngine.mode().label()).isEqualTo("hybrid");
            List<String> engineIds = viaEngine.hits().stream().map(SearchResult.Hit::id).toList();
            assertThat(engineIds).as("engine vs lsr beir, %s", q.getKey()).containsExactlyElementsOf(beirRanking.get(q.getKey()));

            JsonNode rest = post("/collections/beir/search", Map.of("query", q.getValue(), "k", MAX_K)).ok(200).json();
            assertThat(rest.get("mode").stringValue()).isEqualTo("hybrid");
            List<String> restIds = new ArrayList<>();
            List<Float> restScores = new ArrayList<>();
            rest.get("hits").forEach(h -> {
                restIds.add(h.get("id").stringValue());
                restScores.add(h.get("score").floatValue());
            });
            assertThat(restIds).as("REST vs engine, %s", q.getKey()).containsExactlyElementsOf(engineIds);
            assertThat(restScores).containsExactlyElementsOf(viaEngine.hits().stream().map(SearchResult.Hit::score).toList());
        }
    }

    private static String beir(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setErr(old);
        }
        String err = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err).isZero();
        return err;
    }

    private static Map<String, List<String>> readRun(Path run) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(run)) {
            String[] f = line.split("\\s+");
            out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[2]);
        }
        return out;
    }

    /** The tiny model with the default BERT model's zero-shot recommendations in its model.json. */
    static Path zeroShotTinyModel(Path dir) throws IOException {
        OnnxImporter.importModel(TINY_MODEL, TINY_MODEL.resolveSibling("tokenizer.json"), dir, "tiny-zero-shot", HeadDType.FP32);
        ObjectNode info = (ObjectNode) JSON.readTree(dir.resolve("model.json").toFile());
        info.set("encoder", JSON.valueToTree(dev.lsr.encoder.model.ModelInfo.Defaults.zeroShotMlm()));
        Files.write(dir.resolve("model.json"), JSON.writeValueAsBytes(info));
        return dir;
    }

    private static Path fixture(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("qrels"));
        String[][] topics = {
            {"coffee", "espresso", "bean"}, {"tea", "leaf", "green"}, {"river", "water", "fish"},
            {"mountain", "snow", "peak"}, {"guitar", "music", "string"}, {"piano", "music", "key"},
            {"rocket", "space", "orbit"}, {"planet", "space", "star"}, {"bread", "flour", "oven"},
            {"cheese", "milk", "cow"}, {"soccer", "ball", "goal"}, {"tennis", "ball", "racket"},
        };
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < topics.length; i++) {
            String[] t = topics[i];
            corpus.add("{\"_id\": \"d" + i + "\", \"title\": \"" + t[0] + "\", \"text\": \"all about " + t[0] + " " + t[1] + " and " + t[2] + "\"}");
        }
        Files.write(dir.resolve("corpus.jsonl"), corpus);
        List<String> queries = new ArrayList<>();
        QUERIES.forEach((id, text) -> queries.add("{\"_id\": \"" + id + "\", \"text\": \"" + text + "\"}"));
        Files.write(dir.resolve("queries.jsonl"), queries);
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td0\t1\nq2\td5\t1\nq3\td6\t1\nq4\td11\t1\n");
        return dir;
    }
}
