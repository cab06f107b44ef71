package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import dev.lsr.eval.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lsr beir} end to end through the real command line, collection and metrics. */
class BeirCommandTest {

    @TempDir
    Path tmp;

    record Result(int code, String err) {}

    static Result run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void preEncodedVectorsThroughEveryMode() throws IOException {
        Path data = BeirFixture.write(tmp.resolve("fixture"));
        Path json = tmp.resolve("out/report.json");
        Path runFile = tmp.resolve("out/run.trec");
        Path report = tmp.resolve("out/html");
        Result r = runPreEncoded(data, "--mode", "exact,approximate", "--mode", "bm25,hybrid", "--heap-factor", "0.8,1.0",
                "--json", json.toString(), "--run", runFile.toString(), "--report", report.toString(),
                "--warmup", "2", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = JsonMapper.builder().build().readTree(json.toFile());
        assertThat(root.get("dataset").asString()).isEqualTo("fixture");
        assertThat(root.get("split").asString()).isEqualTo("test");
        assertThat(root.get("docs").asInt()).isEqualTo(12);
        assertThat(root.get("queries").asInt()).isEqualTo(4);
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(5);
        List<String> modes = new ArrayList<>();
        for (JsonNode run : runs) {
            modes.add(run.get("mode").asString());
            for (String f : List.of("params", "ndcg@10", "recall@100", "recall@1000", "mrr@10", "map@1000",
                    "recall_vs_exact@10", "latency_us")) {
                assertThat(run.has(f)).as(f).isTrue();
            }
            assertThat(run.get("latency_us").has("p50")).isTrue();
            assertThat(run.get("latency_us").has("p99")).isTrue();
        }
        assertThat(modes).containsExactly("exact", "approximate", "approximate", "bm25", "hybrid");
        // every judged query's best document has the largest dot product: exact is perfect
        JsonNode exact = runs.get(0);
        assertThat(exact.get("ndcg@10").asDouble()).isEqualTo(1.0);
        assertThat(exact.get("mrr@10").asDouble()).isEqualTo(1.0);
        assertThat(exact.get("recall_vs_exact@10").asDouble()).isEqualTo(1.0);
        assertThat(runs.get(2).get("params").get("heap_factor").asDouble()).isEqualTo(1.0);
        // Twelve documents leave nothing to skip: both heap factors return the exact run hit for hit
        // (the run files, tags aside), and recall_vs_exact@10 says so.
        List<String> exactHits = hitsWithoutTag(runFile.resolveSibling("run.exact_query_mode=pre-encoded.trec"));
        assertThat(exactHits).hasSize(7);
        for (int i : new int[] {1, 2}) {
            String hf = runs.get(i).get("params").get("heap_factor").asString();
            assertThat(hitsWithoutTag(runFile.resolveSibling("run.approximate_query_mode=pre-encoded_heap_factor=" + hf + ".trec")))
                    .as(hf).isEqualTo(exactHits);
            assertThat(runs.get(i).get("recall_vs_exact@10").asDouble()).as(hf).isEqualTo(1.0);
        }
        assertThat(runs.get(3).get("recall_vs_exact@10").isNull()).isTrue();
        // BM25 finds every topic word in title and text too
        assertThat(runs.get(3).get("mrr@10").asDouble()).isGreaterThan(0.5);
        assertThat(root.has("encode_docs_per_s")).isFalse();
        // one run file per setting, trec format, and the report page with its charts
        try (var files = Files.list(runFile.getParent())) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("run.")).count()).isEqualTo(5);
        }
        assertThat(report.resolve("index.html")).exists();
        assertThat(report.resolve("recall_vs_latency.png")).exists();
        assertThat(report.resolve("ndcg_distribution.png")).exists();
        assertThat(report.resolve("approx_vs_exact.png")).exists();
        assertThat(Files.readString(report.resolve("index.html"))).contains("<img src=\"recall_vs_latency.png\"");
        assertThat(r.err()).contains("nDCG@10").contains("exact").contains("hybrid");
    }

    @Test
    void theCollectionIsBuiltWithoutTimersOrMergesSoRunsRepeat() throws IOException {
        // Segment boundaries set by a refresh timer or by which merge ran first changed document
        // order, hence BM25 ties and Seismic's blocks, from one run of SciFact to the next.
        Path data = BeirFixture.write(tmp.resolve("fixture"));
        Path dataDir = tmp.resolve("kept");
        Result r = runPreEncoded(data, "--mode", "approximate,bm25", "--collection", dataDir.toString(), "--warmup", "0", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        try (Engine engine = Engine.open(dataDir)) {
            EngineCollection c = engine.collection(CollectionBackend.NAME);
            assertThat(c.settings().refreshIntervalMs()).isZero();
            assertThat(c.settings().writer().merges()).isFalse();
            assertThat(c.stats().segments()).isEqualTo(1);
            assertThat(c.stats().seismicSegments()).isEqualTo(1);
            assertThat(c.stats().docs()).isEqualTo(12);
        }
        // A second run into the same data directory is refused before anything is read, not an internal error.
        Result again = runPreEncoded(data, "--mode", "bm25", "--collection", dataDir.toString(), "--quiet");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip().lines()).singleElement().asString()
                .contains("already holds a collection 'beir'").contains(dataDir.resolve("beir").toString());
        Result notADirectory = runPreEncoded(data, "--mode", "bm25", "--collection", data.resolve("docs.jsonl").toString(), "--quiet");
        assertThat(notADirectory.code()).isEqualTo(2);
        assertThat(notADirectory.err().strip().lines()).singleElement().asString().contains("is not a directory");
    }

    /** {@code lsr beir} on the fixture's test split and its pre-encoded vectors, with {@code more} options. */
    static Result runPreEncoded(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("beir", "--data", data.toString(), "--split", "test",
                "--docs", data.resolve("docs.jsonl").toString(), "--queries", data.resolve("queries.tsv").toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** The lines of a TREC run file without their last field (the run's tag). */
    private static List<String> hitsWithoutTag(Path run) throws IOException {
        return Files.readAllLines(run).stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
    }

    @Test
    void runFileIsInTrecFormatAndTrecOrder() throws IOException {
        Path data = BeirFixture.write(tmp.resolve("fixture"));
        Path runFile = tmp.resolve("run.trec");
        Result r = runPreEncoded(data, "--mode", "exact", "--run", runFile.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(runFile);
        assertThat(lines.get(0)).matches("q1 Q0 d0 1 8\\.0 exact.*");
        assertThat(lines).allMatch(l -> l.split(" ").length == 6);
    }

    @Test
    void badInputGivesExitCodeTwoAndOneLine() throws IOException {
        Path data = BeirFixture.write(tmp.resolve("fixture"));
        String docs = data.resolve("docs.jsonl").toString();
        String queries = data.resolve("queries.tsv").toString();

        Result missingSplit = run("beir", "--data", data.toString(), "--split", "dev", "--docs", docs, "--queries", queries);
        assertThat(missingSplit.code()).isEqualTo(2);
        assertThat(missingSplit.err().strip().lines()).singleElement().asString().contains("dev.tsv");

        Files.writeString(data.resolve("corpus.jsonl"), "{\"_id\": \"d0\", \"text\": \"ok\"}\n{not json\n");
        Result malformed = run("beir", "--data", data.toString(), "--split", "test", "--docs", docs, "--queries", queries);
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err().strip().lines()).singleElement().asString().contains("corpus.jsonl line 2");

        BeirFixture.write(data);
        Files.writeString(data.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\tnowhere\t1\n");
        Result unknown = run("beir", "--data", data.toString(), "--split", "test", "--docs", docs, "--queries", queries);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip().lines()).singleElement().asString().contains("nowhere");

        BeirFixture.write(data);
        Result badMode = run("beir", "--data", data.toString(), "--split", "test", "--docs", docs, "--queries", queries, "--mode", "fast");
        assertThat(badMode.code()).isEqualTo(2);
        assertThat(badMode.err().strip().lines()).singleElement().asString().contains("--mode 'fast'");

        Result badPower = run("beir", "--data", data.toString(), "--split", "test", "--docs", docs, "--queries", queries,
                "--query-idf-power", "0");
        assertThat(badPower.code()).isEqualTo(2);
        assertThat(badPower.err().strip().lines()).singleElement().asString().contains("--query-idf-power");

        Result fitWithoutLogits = run("beir", "--data", data.toString(), "--split", "test", "--docs", docs, "--queries", queries,
                "--centring-fit-docs", "100");
        assertThat(fitWithoutLogits.code()).isEqualTo(2);
        assertThat(fitWithoutLogits.err().strip().lines()).singleElement().asString().contains("--centring-fit-docs");

        // Sweep values are checked before the data is read, whether or not a requested mode uses them.
        Result badSweep = run("beir", "--data", tmp.resolve("absent").toString(), "--docs", docs, "--queries", queries,
                "--mode", "exact", "--heap-factor", "2");
        assertThat(badSweep.code()).isEqualTo(2);
        assertThat(badSweep.err().strip().lines()).singleElement().asString()
                .contains("--heap-factor must be in (0, 1], got 2.0");
        Result badCentring = run("beir", "--data", tmp.resolve("absent").toString(), "--docs", docs, "--queries", queries,
                "--query-centring", "docs");
        assertThat(badCentring.code()).isEqualTo(2);
        assertThat(badCentring.err().strip().lines()).singleElement().asString().contains("--query-centring");

        // Outputs that cannot be written are refused before anything is read, naming the option,
        // not an internal error when the run is over.
        Path file = data.resolve("docs.jsonl");
        String absent = tmp.resolve("absent").toString();
        for (String[] bad : new String[][] {
                {"--json", file.resolve("report.json").toString(), "--json " + file.resolve("report.json") + ": " + file + " is a file"},
                {"--run", tmp.toString(), "--run " + tmp + " is a directory, not a file"},
                {"--report", file.toString(), "--report " + file + " is not a directory"},
                {"--cache", file.toString(), "--cache " + file + " is not a directory"}}) {
            Result unwritable = run("beir", "--data", absent, "--docs", docs, "--queries", queries, "--mode", "exact", bad[0], bad[1]);
            assertThat(unwritable.code()).as(bad[0]).isEqualTo(2);
            assertThat(unwritable.err().strip().lines()).as(bad[0]).singleElement().asString().contains(bad[2]);
        }

        Result noVectors = run("beir", "--data", data.toString(), "--split", "test");
        assertThat(noVectors.code()).isEqualTo(2);
        assertThat(noVectors.err().strip().lines()).singleElement().asString().contains("--model");

        Files.writeString(data.resolve("docs.jsonl"), "{\"id\": \"d0\", \"vector\": {\"a\": -1}}\n");
        Result badVector = run("beir", "--data", data.toString(), "--split", "test", "--docs", docs, "--queries", queries);
        assertThat(badVector.code()).isEqualTo(2);
        assertThat(badVector.err().strip().lines()).singleElement().asString().contains("docs.jsonl line 1");
    }
}
