package dev.lsr.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ChildService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real service runs as a child process; a client sends small batches with {@code commit=true}
 * in a loop while the service is killed with SIGKILL at a random moment (commits, flushes and
 * merges are constantly in flight: every batch is a new segment; every fourth request is a
 * 40-document background job, acknowledged by its 202: after the next restart the job must resume
 * and succeed, and then all its documents count as acknowledged). After each restart every
 * acknowledged document must be there with the same vector (checked for every document at the first
 * restart after it was acknowledged and at the end, and for a random sample of 200 older ones at
 * every restart), a sample must be found by an exact search, the document count must not fall below
 * the acknowledged count, and the service must log no error while opening. CI runs {@code lsr.crash.cycles} (default 2)
 * cycles; the full run is {@code -Dlsr.crash.cycles=100} (docs/RELIABILITY.md).
 */
class CrashDurabilityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Documents in a background-job request: above the service's async-batch limit set in {@link #start}. */
    private static final int JOB_DOCS = 40;
    /** Large enough that every document of a 100-cycle run has a term of its own (see {@link #indices}). */
    private static final int DIM = 100_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    @Test
    void acknowledgedDocumentsSurviveSigkillOfTheService() throws Exception {
        int cycles = Integer.getInteger("lsr.crash.cycles", 2);
        SplittableRandom rnd = new SplittableRandom(Long.getLong("lsr.crash.seed", 7L));
        Path data = tmp.resolve("data");
        Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        Map<String, int[]> promised = new ConcurrentHashMap<>();
        Set<String> checkedOnce = new HashSet<>();
        int nextId = 0;
        long t0 = System.nanoTime();
        for (int cycle = 0; cycle <= cycles; cycle++) {
            Path log = tmp.resolve("service-" + cycle + ".log");
            int port = freePort();
            Process service = start(data, port, log);
            try {
                awaitReady(port, service, log);
                String openLog = Files.readString(log);
                assertThat(openLog).as("service log while opening after kill %d", cycle).doesNotContain(" ERROR ");
                if (cycle == 0) {
                    HttpResponse<String> created = send(port, "PUT", "/collections/crash",
                            "{\"model\": null, \"dim\": " + DIM + ", \"refresh_interval_ms\": 100}");
                    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                }
                // Jobs answered 202 before a kill resume after the restart: each must succeed, and
                // then its documents count as acknowledged.
                for (Map.Entry<String, int[]> job : new ArrayList<>(promised.entrySet())) {
                    awaitJob(port, job.getKey(), new AtomicBoolean(), Duration.ofSeconds(120));
                    for (int i = job.getValue()[0]; i < job.getValue()[0] + job.getValue()[1]; i++) {
                        acknowledged.put("d" + i, true);
                    }
                    promised.remove(job.getKey());
                }
                Thread.sleep(300); // refreshIntervalMs is 100: the jobs' last documents become visible
                // Every acknowledged document is checked in full at the first restart after its
                // acknowledgement and again at the end; in between, a random sample of the older ones
                // (checking all of them after every kill made a 100-cycle run quadratic).
                Set<String> toCheck = new TreeSet<>();
                for (String id : acknowledged.keySet()) {
                    if (cycle == cycles || !checkedOnce.contains(id)) {
                        toCheck.add(id);
                    }
                }
                List<String> older = new ArrayList<>(checkedOnce);
                for (int s = 0; s < Math.min(200, older.size()); s++) {
                    toCheck.add(older.get(rnd.nextInt(older.size())));
                }
                verify(port, toCheck, cycle);
                checkedOnce.addAll(toCheck);
                JsonNode stats = JSON.readTree(send(port, "GET", "/collections/crash/stats", null).body());
                assertThat(stats.get("docs").longValue()).as("documents after kill %d", cycle).isGreaterThanOrEqualTo(acknowledged.size());
                if (cycle == cycles) {
                    break;
                }
                // Ingest until killed at a random moment.
                AtomicBoolean stop = new AtomicBoolean();
                int first = nextId;
                int[] sent = {first};
                Thread client = new Thread(() -> {
                    for (int request = 0; !stop.get(); request++) {
                        // Every fourth request is a background job (more documents than the service's
                        // async-batch limit), so kills also land while a job is writing.
                        int n = request % 4 == 3 ? JOB_DOCS : 5;
                        int from = sent[0];
                        sent[0] += n;
                        try {
                            HttpResponse<String> r = send(port, "POST", "/collections/crash/documents?commit=true", batch(from, n));
                            if (r.statusCode() == 202) {
                                // Accepted is a promise: the job's documents must all be there once it has run,
                                // across any number of kills (checked after the next restart).
                                promised.put(JSON.readTree(r.body()).get("id").stringValue(), new int[] {from, n});
                                continue;
                            } else if (r.statusCode() != 200) {
                                throw new IllegalStateException("batch at " + from + ": " + r.statusCode() + " " + r.body());
                            }
                            for (int i = from; i < from + n; i++) {
                                acknowledged.put("d" + i, true);
                            }
                        } catch (IOException | InterruptedException e) {
                            return; // the service died under the request: not acknowledged
                        }
                    }
                });
                client.start();
                // The first batch of a fresh JVM is slow (class loading); kill only once ingest runs.
                long warm = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (acknowledged.size() < first + 5 && client.isAlive() && System.nanoTime() < warm) {
                    Thread.sleep(20);
                }
                Thread.sleep(100 + rnd.nextInt(1500));
                service.destroyForcibly(); // SIGKILL
                service.waitFor();
                stop.set(true);
                client.join(30_000);
                nextId = sent[0];
                System.out.printf("CrashDurabilityTest: cycle %d killed after %d documents sent, %d acknowledged so far%n",
                        cycle, nextId - first, acknowledged.size());
            } finally {
                service.destroyForcibly();
                service.waitFor();
            }
        }
        System.out.printf("CrashDurabilityTest: %d SIGKILL cycles, %d acknowledged documents all present with their vectors, %.1f s%n",
                cycles, acknowledged.size(), (System.nanoTime() - t0) / 1e9);
        assertThat(acknowledged).as("the client got acknowledgements").isNotEmpty();
    }

    @Test
    void writesWithoutCommitSurviveSigkillOnceTheCommitIntervalHasPassed() throws Exception {
        // Without periodic commits, documents acknowledged without ?commit=true were durable only
        // after a clean shutdown: a SIGKILL (an OOM kill, a lost host) lost every one of them.
        Path data = tmp.resolve("interval");
        int port = freePort();
        Process service = start(data, port, tmp.resolve("interval-0.log"), "--lsr.commit-interval-ms=200");
        try {
            awaitReady(port, service, tmp.resolve("interval-0.log"));
            assertThat(send(port, "PUT", "/collections/uncommitted", "{\"model\": null, \"dim\": " + DIM + "}").statusCode()).isEqualTo(201);
            HttpResponse<String> r = send(port, "POST", "/collections/uncommitted/documents?refresh=true", batch(0, 20));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Thread.sleep(1_500);
        } finally {
            service.destroyForcibly(); // SIGKILL
            service.waitFor();
        }
        port = freePort();
        service = start(data, port, tmp.resolve("interval-1.log"), "--lsr.commit-interval-ms=200");
        try {
            awaitReady(port, service, tmp.resolve("interval-1.log"));
            JsonNode stats = JSON.readTree(send(port, "GET", "/collections/uncommitted/stats", null).body());
            assertThat(stats.get("docs").longValue()).isEqualTo(20);
        } finally {
            service.destroyForcibly();
            service.waitFor();
        }
    }

    private void verify(int port, Set<String> acknowledged, int cycle) throws Exception {
        for (String id : new TreeSet<>(acknowledged)) {
            int i = Integer.parseInt(id.substring(1));
            HttpResponse<String> r = send(port, "GET", "/collections/crash/documents/" + id, null);
            assertThat(r.statusCode()).as("acknowledged %s after kill %d: %s", id, cycle, r.body()).isEqualTo(200);
            JsonNode v = JSON.readTree(r.body()).get("vector");
            assertThat(v.get("indices").toString()).as("indices of %s", id).isEqualTo(JSON.writeValueAsString(indices(i)));
            List<Float> values = new ArrayList<>();
            v.get("values").forEach(x -> values.add(x.floatValue()));
            assertThat(values).as("values of %s", id).isEqualTo(values(i));
        }
        // Searchable: a sample found among the best hits of an exact search with its own vector. Its
        // own term makes it the best match, but past DIM-100 documents (a 100-cycle run with jobs
        // writes more) vectors repeat, so an equal-scoring twin may come first.
        List<String> ids = new ArrayList<>(new TreeSet<>(acknowledged));
        for (int s = 0; s < Math.min(5, ids.size()); s++) {
            String id = ids.get(s * ids.size() / Math.min(5, ids.size()));
            int i = Integer.parseInt(id.substring(1));
            String q = "{\"vector\": {\"indices\": " + JSON.writeValueAsString(indices(i)) + ", \"values\": "
                    + JSON.writeValueAsString(values(i)) + "}, \"k\": 20, \"mode\": \"exact\"}";
            HttpResponse<String> r = send(port, "POST", "/collections/crash/search", q);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode hits = JSON.readTree(r.body()).get("hits");
            float best = hits.get(0).get("score").floatValue();
            List<String> tiedForFirst = new ArrayList<>();
            hits.forEach(h -> {
                if (h.get("score").floatValue() == best) {
                    tiedForFirst.add(h.get("id").stringValue());
                }
            });
            assertThat(tiedForFirst).as("best hits for %s", id).contains(id);
        }
    }

    /** Document i: a term of its own (weight 5-7, unique for i below DIM-100) plus two shared ones. */
    private static List<Integer> indices(int i) {
        return List.of(i % 50, 50 + (i * 7) % 50, 100 + i % (DIM - 100));
    }

    private static List<Float> values(int i) {
        return List.of(0.25f + (i % 4) * 0.125f, 0.5f, 5f + (i % 3));
    }

    /**
     * Polls a background job (accepted before a kill, so journalled and resumed) until it has
     * succeeded; a failed, unknown or stuck job fails the test.
     */
    private static boolean awaitJob(int port, String job, AtomicBoolean stop, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!stop.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job + " accepted before a kill did not succeed within " + limit + " after the restart");
            }
            HttpResponse<String> r = send(port, "GET", "/jobs/" + job, null);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("job " + job + " accepted before a kill is unknown after the restart: " + r.statusCode() + " " + r.body());
            }
            String state = JSON.readTree(r.body()).get("state").stringValue();
            if (state.equals("succeeded")) {
                return true;
            }
            if (state.equals("failed")) {
                throw new IllegalStateException("job " + job + " failed: " + r.body());
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static String batch(int from, int n) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            docs.add(Map.of("id", "d" + i, "text", "document " + i, "vector", Map.of("indices", indices(i), "values", values(i))));
        }
        return JSON.writeValueAsString(docs);
    }

    private static Process start(Path data, int port, Path log, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(ChildService.launch("384m"));
        cmd.addAll(List.of("--port", Integer.toString(port), "--data", data.toString(), "--lsr.default-model=none",
                "--lsr.limits.async-batch=20", "--management.health.diskspace.enabled=false"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static void awaitReady(int port, Process service, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new AssertionError("service exited with " + service.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (send(port, "GET", "/actuator/health/readiness", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("service not ready in 120 s:\n" + Files.readString(log));
    }

    private static HttpResponse<String> send(int port, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
