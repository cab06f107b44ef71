package dev.lsr.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import dev.lsr.api.ChildService;
import dev.lsr.eval.cli.Main;
import dev.lsr.eval.metrics.ScoredDoc;
import dev.lsr.eval.metrics.TrecEval;
import dev.lsr.eval.service.ServiceClient;
import dev.lsr.eval.service.ServiceProcess;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code lsr bench service} against this test's real server (random port, the tiny model as the default
 * model): the first 60 SciFact abstracts go in as text through background jobs, the train queries judged
 * on them are searched per setting, and the reported nDCG@10 must be what trec_eval gives for the hits
 * the same requests return when this test sends them itself.
 */
class BenchServiceCommandTest extends ApiTestBase {

    static final Path SCIFACT = sharedDir().resolve("data/scifact");
    static final int DOCS = 60;

    @TempDir
    static Path tmp;

    static Path fixture;
    static Map<String, String> queries = new LinkedHashMap<>();
    static Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();

    @BeforeAll
    static void writeFixture() throws IOException {
        if (!Files.isRegularFile(SCIFACT.resolve("corpus.jsonl.gz"))) {
            System.out.println("SKIPPED: " + SCIFACT + " is absent (../shared not mounted); this test posts SciFact abstracts");
            return;
        }
        fixture = Files.createDirectories(tmp.resolve("scifact60/qrels"));
        fixture = fixture.getParent();
        List<String> corpus = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(SCIFACT.resolve("corpus.jsonl.gz"))), StandardCharsets.UTF_8))) {
            String line;
            while (corpus.size() < DOCS && (line = r.readLine()) != null) {
                corpus.add(line);
                ids.add(JSON.readTree(line).get("_id").asString());
            }
        }
        Files.write(fixture.resolve("corpus.jsonl"), corpus);
        List<String> judged = new ArrayList<>();
        judged.add("query-id\tcorpus-id\tscore");
        List<String> all = Files.readAllLines(SCIFACT.resolve("qrels/train.tsv"));
        for (String l : all.subList(1, all.size())) {
            String[] f = l.split("\t");
            if (ids.contains(f[1])) {
                judged.add(l);
                qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2]));
            }
        }
        Files.write(fixture.resolve("qrels/train.tsv"), judged);
        List<String> qs = new ArrayList<>();
        for (String l : Files.readAllLines(SCIFACT.resolve("queries.train.jsonl"))) {
            JsonNode q = JSON.readTree(l);
            if (qrels.containsKey(q.get("_id").asString())) {
                qs.add(l);
                queries.put(q.get("_id").asString(), q.get("text").asString());
            }
        }
        Files.write(fixture.resolve("queries.jsonl"), qs);
    }

    @Test
    void reportsTrecEvalOfTheServicesOwnHitsPerSetting() throws IOException {
        assumeData();
        Path out = tmp.resolve("bench.json");
        Run run = bench("--url", "http://localhost:" + port, "--collection", "scifact60", "--batch", "20", "--warmup", "2",
                "--settings", "{\"exact_segment_max_docs\": 0}", "--mode", "default,bm25,exact", "--json", out.toString());
        assertThat(run.code).as(run.err).isZero();
        JsonNode r = JSON.readTree(out.toFile());
        assertThat(r.get("docs").asInt()).isEqualTo(DOCS);
        assertThat(r.get("queries").asInt()).isEqualTo(queries.size()).isGreaterThan(5);
        assertThat(r.get("ingest").get("reused").asBoolean()).isFalse();
        assertThat(r.get("ingest").get("jobs").asInt()).as("60 documents in batches of 20 above async-batch 8").isEqualTo(3);
        assertThat(r.get("stats").get("docs").asInt()).isEqualTo(DOCS);
        assertThat(r.get("model").asString()).as("--settings without a model: the default model").isEqualTo("tiny-mlm");
        assertThat(get("/collections/scifact60").ok(200).json().get("settings").get("exact_segment_max_docs").asInt())
                .as("--settings went into the PUT body").isZero();

        List<String> names = new ArrayList<>();
        r.get("runs").forEach(x -> names.add(x.get("mode").asString()));
        assertThat(names).containsExactly("default", "bm25", "exact");
        TrecEval trec = new TrecEval(qrels);
        for (JsonNode x : r.get("runs")) {
            String name = x.get("mode").asString();
            assertThat(x.get("queries").asInt()).isEqualTo(queries.size());
            assertThat(x.get("latency_us").get("p50").asDouble()).isPositive();
            assertThat(x.get("latency_us").get("p99").asDouble()).isGreaterThanOrEqualTo(x.get("latency_us").get("p50").asDouble());
            assertThat(x.get("server_took_us").get("p50").asDouble()).isPositive();
            // The same requests sent here: trec_eval of their hits is what the report says.
            Map<String, List<ScoredDoc>> mine = new LinkedHashMap<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("query", q.getValue());
                body.put("k", 10);
                if (!name.equals("default")) {
                    body.put("mode", name);
                }
                JsonNode resp = post("/collections/scifact60/search", body).ok(200).json();
                List<ScoredDoc> hits = new ArrayList<>();
                resp.get("hits").forEach(h -> hits.add(new ScoredDoc(h.get("id").asString(), h.get("score").asDouble())));
                mine.put(q.getKey(), hits);
            }
            double expected = trec.evaluate(mine).ndcg10();
            assertThat(x.get("ndcg@10").asDouble()).as(name).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(x.get("per_query_ndcg@10").size()).isEqualTo(queries.size());
        }
        JsonNode defaultRun = r.get("runs").get(0);
        assertThat(defaultRun.get("request").has("mode")).as("the README's body names no mode").isFalse();
        assertThat(defaultRun.get("mode_ran").get("approximate").asInt())
                .as("the tiny model recommends nothing: approximate").isEqualTo(queries.size());
        assertThat(r.get("runs").get(1).get("ndcg@10").asDouble()).as("BM25 on real abstracts ranks the judged ones high").isGreaterThan(0.5);

        // The built collection is reused as it is: no upload, the same hits; PRF at weight 0 is the plain search.
        Run again = bench("--url", "http://localhost:" + port, "--collection", "scifact60", "--warmup", "0", "--mode", "bm25,default",
                "--prf-weight", "0", "--json", tmp.resolve("again.json").toString());
        assertThat(again.code).as(again.err).isZero();
        JsonNode a = JSON.readTree(tmp.resolve("again.json").toFile());
        assertThat(a.get("ingest").get("reused").asBoolean()).isTrue();
        assertThat(a.get("runs").get(0).get("ndcg@10").asDouble()).isEqualTo(r.get("runs").get(1).get("ndcg@10").asDouble());
        JsonNode prf = a.get("runs").get(2);
        assertThat(prf.get("mode").asString()).isEqualTo("default+prf0.0");
        assertThat(prf.get("request").get("params").get("prf").get("docs").asInt()).isEqualTo(3);
        assertThat(prf.get("ndcg@10").asDouble()).isEqualTo(r.get("runs").get(0).get("ndcg@10").asDouble());
    }

    @Test
    void badInputIsExitTwoWithOneLine() throws IOException {
        assumeData();
        String url = "http://localhost:" + port;
        expectBad(bench("--url", url, "--mode", "fastest"), "unknown setting 'fastest'");
        expectBad(bench("--url", url, "--query-encoder", "dense"), "'dense' is not full or inference-free");
        expectBad(bench("--url", "localhost", "--mode", "bm25"), "--url");
        expectBad(bench("--url", "http://127.0.0.1:1", "--mode", "bm25"), "cannot connect");
        expectBad(bench("--url", url, "--k", "0"), "--k");
        expectBad(bench("--url", url, "--prf-weight", "1.5"), "--prf-weight");
        expectBad(bench("--url", url, "--settings", "[1]"), "--settings");
        expectBad(bench("--url", url, "--settings", "{\"dim\": "), "--settings: malformed JSON");
        // Settings the service refuses: its 400 detail, nothing created.
        expectBad(bench("--url", url, "--collection", "bad-settings", "--settings", "{\"exact_segment_max_docs\": -1}"), "PUT /collections/bad-settings");
        assertThat(get("/collections/bad-settings").status()).isEqualTo(404);
        Run noData = run("bench", "service", "--data", tmp.resolve("absent").toString(), "--url", url);
        assertThat(noData.code).as(noData.err).isEqualTo(2);
        // A k above the service's max-k: the service's 400 detail, once.
        expectBad(bench("--url", url, "--collection", "scifact60-k", "--batch", "30", "--warmup", "0", "--mode", "bm25",
                "--k", Integer.toString(MAX_K + 1)), "refused the request (400)");
        // The collection now holds 60 documents; a different corpus size is refused, not mixed in.
        Path half = tmp.resolve("scifact30");
        Files.createDirectories(half.resolve("qrels"));
        Files.write(half.resolve("corpus.jsonl"), Files.readAllLines(fixture.resolve("corpus.jsonl")).subList(0, 30));
        Files.copy(fixture.resolve("queries.jsonl"), half.resolve("queries.jsonl"));
        Files.copy(fixture.resolve("qrels/train.tsv"), half.resolve("qrels/train.tsv"));
        Run mixed = run("bench", "service", "--data", half.toString(), "--split", "train", "--lenient", "--url", url,
                "--api-key", API_KEY, "--collection", "scifact60-k");
        expectBad(mixed, "already exists");
    }

    /** The service the command starts when given no --url: a child JVM on a free port, ready, then stopped. */
    @Test
    void startsAndStopsAServiceOfItsOwn() throws Exception {
        List<String> launch = ChildService.launch("384m");
        Path log = tmp.resolve("child.log");
        ServiceProcess p = ServiceProcess.start(new ServiceProcess.Settings(launch, tmp.resolve("child-data"),
                List.of("--lsr.default-model=none"), log, Duration.ofSeconds(120)), new PrintStream(new ByteArrayOutputStream()));
        ServiceClient c = new ServiceClient(p.url(), null, Duration.ofSeconds(30));
        try {
            assertThat(c.put("/collections/child", Map.of("dim", 10)).status()).isEqualTo(201);
            assertThat(c.get("/collections/child/stats").json().get("docs").asInt()).isZero();
        } finally {
            p.close();
        }
        assertThat(Files.readString(log)).contains("Started");
        Run gone = bench("--url", p.url().toString(), "--mode", "bm25");
        assertThat(gone.code).as("the stopped service no longer answers").isEqualTo(2);
    }

    /** A service that refuses to start (its data directory in use) is bad input naming why, not an internal error. */
    @Test
    void aServiceRefusedAtStartIsBadInputSayingWhy() throws Exception {
        List<String> launch = ChildService.launch("256m");
        Path data = tmp.resolve("held-data");
        try (dev.lsr.api.config.DataDirectoryLock held = dev.lsr.api.config.DataDirectoryLock.acquire(data)) {
            ServiceProcess.Settings settings = new ServiceProcess.Settings(launch, data, List.of("--lsr.default-model=none"),
                    tmp.resolve("refused.log"), Duration.ofSeconds(120));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceProcess.start(settings, new PrintStream(new ByteArrayOutputStream())))
                    .isInstanceOf(dev.lsr.eval.cli.ExitCodes.BadInputException.class)
                    .hasMessageStartingWith("lsr serve exited with code 2 before it was ready: The data directory " + data.toAbsolutePath()
                            + " is in use by another lsr serve")
                    .hasMessageContaining("Stop that service, or give this one another --data (lsr.data-dir) directory.");
        }
    }

    private static void assumeData() {
        assumeTinyModel();
        Assumptions.assumeTrue(fixture != null, "needs " + SCIFACT);
    }

    private Run bench(String... args) {
        List<String> all = new ArrayList<>(List.of("bench", "service", "--data", String.valueOf(fixture), "--split", "train",
                "--api-key", API_KEY));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    record Run(int code, String err) {}

    private static Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setErr(old);
        }
        return new Run(code, buf.toString(StandardCharsets.UTF_8));
    }

    private static void expectBad(Run r, String part) {
        assertThat(r.code).as(r.err).isEqualTo(2);
        List<String> lines = r.err.lines().filter(l -> !l.isBlank() && !l.startsWith("bench service:") && !l.startsWith("WARNING")).toList();
        assertThat(lines).as(r.err).hasSize(1);
        assertThat(lines.getFirst()).contains(part);
    }
}
