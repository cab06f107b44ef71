package dev.lsr.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import dev.lsr.api.config.LsrProperties;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Seeded hostile and malformed requests against every endpoint of the real service: each must get
 * a 4xx with an RFC 9457 problem body (never a 5xx, never a success), the service must stay ready,
 * the existing collection must answer exactly as before, and nothing may appear in the data
 * directory but valid collections. CI sends a few hundred; the full run is
 * {@code -Dlsr.hostile.requests=10000} (see docs/RELIABILITY.md).
 */
class HostileInputTest extends ApiTestBase {

    private static final String VICTIM = "victim";
    private static final int DIM = 1000;
    /** A collection with the tiny model, when it is there: its vocabulary defines out-of-vocabulary ids. */
    private static final String TEXT_VICTIM = "victim-text";

    @Autowired
    LsrProperties properties;

    @Test
    void hostileRequestsGetProblemsAndChangeNothing() throws Exception {
        int requests = Integer.getInteger("lsr.hostile.requests", 300);
        long seed = Long.getLong("lsr.hostile.seed", 20261125L);
        setUpVictim();
        String before = snapshot();
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        Map<String, Integer> byKind = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        String textVictim = hasTinyModel() ? TEXT_VICTIM : null;
        int textDim = textVictim == null ? 0 : get("/collections/" + TEXT_VICTIM + "/stats").ok(200).json().get("dim").intValue();
        if (textVictim == null) {
            System.out.println("HostileInputTest: no tiny model (../shared absent), so no out-of-vocabulary requests against a model collection");
        }
        HostileRequests gen = new HostileRequests(seed, VICTIM, DIM, textVictim, textDim, MAX_BODY, MAX_BATCH);
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            HostileRequests.Request r = gen.next();
            byKind.merge(r.kind(), 1, Integer::sum);
            String problem = check(r);
            if (problem != null && failures.size() < 30) {
                failures.add("#" + i + " " + problem + " <- " + r);
            }
            if (i % 100 == 99) {
                assertThat(get("/actuator/health/readiness").status()).as("ready after %d requests", i + 1).isEqualTo(200);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("HostileInputTest: %d requests (seed %d) in %.1f s, by kind %s, %d not answered with a 4xx problem%n",
                requests, seed, seconds, byKind, failures.size());
        assertThat(failures).as("requests not answered with a 4xx problem").isEmpty();
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(snapshot()).as("victim collections unchanged").isEqualTo(before);
        try (Stream<Path> entries = Files.list(dataDir)) {
            entries.map(p -> p.getFileName().toString())
                    // .snapshots: where POST .../snapshots writes (SnapshotTest shares this data directory);
                    // .serve.lock: the service's own lock on the directory.
                    .forEach(n -> assertThat(n).as("entry in the data directory").matches("[a-z0-9][a-z0-9_-]{0,63}|\\.snapshots|\\.serve\\.lock"));
        }
        Path parent = dataDir.getParent();
        for (String escaped : List.of("etc", "escape", "win", "collection.json", "x")) {
            assertThat(parent.resolve(escaped)).as("nothing written outside the data directory").doesNotExist();
        }
    }

    /**
     * The request limits hold when many clients exceed them at once: eight threads each send 40
     * over-limit requests (k, query length, batch size, body size, in turn) while another searches
     * the victim; every one gets its 4xx problem naming the limit, the searches keep answering the
     * same hits, and the victim is unchanged.
     */
    @Test
    void limitsHoldUnderConcurrency() throws Exception {
        setUpVictim();
        String before = snapshot();
        String search = "/collections/" + VICTIM + "/search";
        String vector = "{\"indices\": [1, 2, 3], \"values\": [1, 1, 1]}";
        String overK = "{\"vector\": " + vector + ", \"k\": " + (MAX_K + 1) + "}";
        String overQuery = "{\"query\": \"" + "x".repeat(MAX_QUERY_CHARS + 1) + "\", \"mode\": \"bm25\"}";
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i <= MAX_BATCH; i++) {
            batch.append("{\"id\": \"b").append(i).append("\", \"vector\": {\"indices\": [1], \"values\": [1]}}\n");
        }
        String overBatch = batch.toString();
        String overBody = "[" + " ".repeat((int) MAX_BODY) + "]";
        String hitsBefore = post(search, "{\"vector\": " + vector + ", \"k\": 10}").ok(200).json().get("hits").toString();
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        Reply r;
                        String limit;
                        switch ((thread + i) % 4) {
                            case 0 -> { r = send("POST", search, "application/json", overK, true); limit = "lsr.limits.max-k"; }
                            case 1 -> { r = send("POST", search, "application/json", overQuery, true); limit = "lsr.limits.max-query-chars"; }
                            case 2 -> { r = send("POST", "/collections/" + VICTIM + "/documents", "application/x-ndjson", overBatch, true); limit = "lsr.limits.max-batch"; }
                            default -> { r = send("POST", "/collections/" + VICTIM + "/documents", "application/json", overBody, true); limit = "lsr.limits.max-body-bytes"; }
                        }
                        boolean problem = r.status() >= 400 && r.status() < 500 && r.contentType().startsWith("application/problem+json")
                                && r.body().contains(limit);
                        if (!problem) {
                            wrong.add(limit + ": " + r.status() + " " + abbreviate(r.body()));
                        }
                    }
                    return wrong;
                }));
            }
            Future<List<String>> searcher = pool.submit(() -> {
                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    Reply r = send("POST", search, "application/json", "{\"vector\": " + vector + ", \"k\": 10}", true);
                    if (r.status() != 200 || !r.json().get("hits").toString().equals(hitsBefore)) {
                        wrong.add("search during the flood: " + r.status() + " " + abbreviate(r.body()));
                    }
                }
                return wrong;
            });
            List<String> wrong = new ArrayList<>(searcher.get());
            for (Future<List<String>> f : results) {
                wrong.addAll(f.get());
            }
            assertThat(wrong).as("over-limit requests not refused with their limit, or searches disturbed").isEmpty();
        } finally {
            pool.shutdownNow();
        }
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(snapshot()).as("victim collections unchanged").isEqualTo(before);
    }

    /** Two threads at a time delete the same collection: exactly one succeeds, the others get 404, none a 5xx. */
    @Test
    void concurrentDeletesOfOneCollection() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 5; round++) {
                String name = "doomed-" + round;
                put("/collections/" + name, "{\"model\": null, \"dim\": 100, \"refresh_interval_ms\": 0}").ok(201);
                post("/collections/" + name + "/documents?commit=true", "[{\"id\": \"a\", \"vector\": {\"indices\": [1], \"values\": [1]}}]").ok(200);
                List<Future<Reply>> replies = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    replies.add(pool.submit(() -> delete("/collections/" + name)));
                }
                int ok = 0;
                for (Future<Reply> f : replies) {
                    Reply r = f.get();
                    if (r.status() / 100 == 2) {
                        ok++;
                    } else {
                        assertThat(r.status()).as("a losing concurrent delete: %s", r.body()).isEqualTo(404);
                        assertThat(r.contentType()).startsWith("application/problem+json");
                    }
                }
                assertThat(ok).as("exactly one delete of '%s' wins", name).isEqualTo(1);
                get("/collections/" + name).problem(404, name);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns null when the reply is a 4xx problem, else what is wrong with it. */
    private String check(HostileRequests.Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + r.path()))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + API_KEY);
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        Reply reply;
        try {
            reply = exchange(b.build());
        } catch (RuntimeException e) {
            return "no reply (" + e + ")";
        }
        if (reply.status() < 400 || reply.status() >= 500) {
            return "status " + reply.status() + " " + abbreviate(reply.body());
        }
        if (!reply.contentType().startsWith("application/problem+json") || reply.json() == null) {
            return "status " + reply.status() + " without a problem body (" + reply.contentType() + ") " + abbreviate(reply.body());
        }
        JsonNode status = reply.json().get("status");
        if (status == null || status.intValue() != reply.status()) {
            return "problem body status " + status + " != " + reply.status();
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private void setUpVictim() {
        if (hasTinyModel() && get("/collections/" + TEXT_VICTIM).status() != 200) {
            put("/collections/" + TEXT_VICTIM, "{\"refresh_interval_ms\": 0}").ok(201);
            post("/collections/" + TEXT_VICTIM + "/documents?commit=true&refresh=true", "[{\"id\": \"t1\", \"text\": \"the quick brown fox\"},"
                    + " {\"id\": \"t2\", \"text\": \"a lazy dog sleeps\"}, {\"id\": \"t3\", \"text\": \"sparse retrieval with learned weights\"}]")
                    .ok(200);
        }
        if (get("/collections/" + VICTIM).status() == 200) {
            return;
        }
        put("/collections/" + VICTIM, "{\"model\": null, \"dim\": " + DIM + ", \"refresh_interval_ms\": 0}").ok(201);
        StringBuilder docs = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            docs.append(i == 0 ? "" : ",").append("{\"id\": \"d").append(i).append("\", \"text\": \"doc ").append(i)
                    .append("\", \"metadata\": {\"parity\": \"").append(i % 2 == 0 ? "even" : "odd").append("\", \"n\": ").append(i)
                    .append("}, \"vector\": {\"indices\": [1, 5, ").append(10 + i).append("], \"values\": [0.5, ")
                    .append(1 + i % 3).append(", ").append(i + 1).append("]}}");
        }
        post("/collections/" + VICTIM + "/documents?commit=true&refresh=true", docs.append(']').toString()).ok(200);
    }

    /** Everything a client can see of the victim: stats, three searches and every document. */
    private String snapshot() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("docs", get("/collections/" + VICTIM + "/stats").ok(200).json().get("docs").toString());
        for (String q : List.of("{\"vector\": {\"indices\": [1, 5], \"values\": [0.5, 1.5]}, \"k\": 8, \"mode\": \"exact\"}",
                "{\"vector\": {\"indices\": [5, 12], \"values\": [1, 2]}, \"k\": 3}",
                "{\"vector\": {\"indices\": [1], \"values\": [1]}, \"k\": 8, \"filter\": {\"term\": {\"parity\": \"even\"}}}")) {
            JsonNode hits = post("/collections/" + VICTIM + "/search", q).ok(200).json().get("hits");
            StringBuilder h = new StringBuilder();
            hits.forEach(hit -> h.append(hit.get("id").stringValue()).append(':').append(hit.get("score").floatValue()).append(' '));
            s.put(q, h.toString());
        }
        for (int i = 0; i < 8; i++) {
            s.put("d" + i, get("/collections/" + VICTIM + "/documents/d" + i).ok(200).json().toString());
        }
        if (hasTinyModel()) {
            s.put("text-docs", get("/collections/" + TEXT_VICTIM + "/stats").ok(200).json().get("docs").toString());
            JsonNode hits = post("/collections/" + TEXT_VICTIM + "/search", "{\"query\": \"quick fox\", \"k\": 3}").ok(200).json().get("hits");
            StringBuilder h = new StringBuilder();
            hits.forEach(hit -> h.append(hit.get("id").stringValue()).append(':').append(hit.get("score").floatValue()).append(' '));
            s.put("text-search", h.toString());
            for (String id : List.of("t1", "t2", "t3")) {
                s.put(id, get("/collections/" + TEXT_VICTIM + "/documents/" + id).ok(200).json().toString());
            }
        }
        return s.toString();
    }
}
