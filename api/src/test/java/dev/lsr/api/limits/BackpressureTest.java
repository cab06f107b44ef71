package dev.lsr.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Backpressure on a real server: a job queue bounded by documents and a bound on searches running
 * at once, each answered beyond the bound with {@code 429}, {@code Retry-After} and a problem body
 * naming the limit, never a 5xx, and with nothing of the refused request written.
 */
@TestPropertySource(properties = {
        "lsr.limits.max-queued-documents=" + BackpressureTest.QUEUE,
        "lsr.limits.max-concurrent-searches=1",
        "lsr.limits.retry-after-seconds=3",
        "lsr.jobs.threads=1"})
class BackpressureTest extends ApiTestBase {

    static final int QUEUE = 150;

    private static String docs(String prefix, int n, boolean text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> d = new java.util.LinkedHashMap<>();
            d.put("id", prefix + i);
            if (text) {
                d.put("text", "document " + i + " about sparse retrieval, inverted lists and the blocks of a learned index "
                        + "that keeps summaries of every block so that the search can skip most of them " + prefix);
            } else {
                d.put("vector", Map.of("indices", List.of(i % 97, 100 + i), "values", List.of(1.0, 0.5)));
            }
            docs.add(d);
        }
        return JSON.writeValueAsString(docs);
    }

    @Test
    void aFullJobQueueAnswers429AndWritesNothingOfTheRefusedBatch() throws Exception {
        boolean text = hasTinyModel();
        put("/collections/queued", text ? "{\"refresh_interval_ms\": 0}" : "{\"model\": null, \"dim\": 1000, \"refresh_interval_ms\": 0}").ok(201);

        // Larger than the whole queue: it could never be accepted, so 413, not "retry later".
        post("/collections/queued/documents", docs("huge", QUEUE + 1, text)).problem(413, "lsr.limits.max-queued-documents");

        // A job that fills the queue, then a second one at once: refused while the first has documents left.
        Reply refused = null;
        String firstJob = null;
        int refusedAttempt = -1;
        for (int attempt = 0; attempt < 10 && refused == null; attempt++) {
            Reply first = post("/collections/queued/documents", docs("a" + attempt + "-", QUEUE, text)).ok(202);
            firstJob = first.get("id").stringValue();
            Reply second = post("/collections/queued/documents", docs("b" + attempt + "-", QUEUE, text));
            if (second.status() == 429) {
                refused = second;
                refusedAttempt = attempt;
            } else {
                assertThat(second.status()).as("second job: %s", second.body()).isEqualTo(202);
                awaitJob(second.get("id").stringValue());
            }
            awaitJob(firstJob);
        }
        assertThat(refused).as("a second full job while the first still had documents queued was refused at least once").isNotNull();
        refused.problem(429, "the job queue is full");
        assertThat(refused.get("limit").stringValue()).isEqualTo("lsr.limits.max-queued-documents");
        assertThat(refused.get("limit_value").intValue()).isEqualTo(QUEUE);
        assertThat(refused.get("retry_after_seconds").intValue()).isEqualTo(3);
        assertThat(refused.header("Retry-After")).isEqualTo("3");

        // Once the queue has drained, the same batch is accepted; the refused one left nothing behind.
        post("/collections/queued/documents?refresh=true&commit=true", docs("sync", 1, text)).ok(200);
        assertThat(get("/collections/queued/documents/a" + refusedAttempt + "-0").status()).as("document of the accepted job").isEqualTo(200);
        String refusedId = "b" + refusedAttempt + "-0";
        assertThat(get("/collections/queued/documents/" + refusedId).status()).as("document of the refused job").isEqualTo(404);
        assertThat(get("/actuator/metrics/lsr.jobs.queued.documents").ok(200).get("measurements").get(0).get("value").doubleValue())
                .isEqualTo(0.0);
        JsonNode rejections = get("/actuator/metrics/lsr.rejections?tag=limit:lsr.limits.max-queued-documents").ok(200).json();
        assertThat(rejections.get("measurements").get(0).get("value").doubleValue()).isGreaterThanOrEqualTo(2.0);
        Reply again = post("/collections/queued/documents?refresh=true", docs("c", QUEUE, text)).ok(202);
        assertThat(awaitJob(again.get("id").stringValue()).get("state").stringValue()).isEqualTo("succeeded");
        System.out.printf("BackpressureTest: queue of %d documents full -> 429 %s%n", QUEUE, refused.body());
    }

    @Test
    void searchesBeyondTheBoundAnswer429() throws Exception {
        if (get("/collections/busy").status() != 200) {
            put("/collections/busy", "{\"model\": null, \"dim\": 1000, \"refresh_interval_ms\": 0}").ok(201);
            for (int b = 0; b < 10; b++) {
                post("/collections/busy/documents?refresh=true&commit=true", docs("d" + b + "-", 8, false)).ok(200);
            }
        }
        String search = "{\"vector\": {\"indices\": [1, 2, 3, 4, 5], \"values\": [1, 1, 1, 1, 1]}, \"k\": 50, \"mode\": \"exact\"}";
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Reply> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> retryAfter = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            clients.add(pool.submit(() -> {
                while (!stop.get() && System.nanoTime() < deadline) {
                    HttpRequest r = HttpRequest.newBuilder(uri("/collections/busy/search")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(search)).build();
                    Reply reply = exchange(r);
                    statuses.merge(reply.status(), 1, Integer::sum);
                    if (reply.status() == 429) {
                        refusals.add(reply);
                        if (refusals.size() >= 5) {
                            stop.set(true);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(200, 429);
        assertThat(refusals).as("searches refused with 8 clients and one slot (statuses %s)", statuses).isNotEmpty();
        for (Reply r : refusals) {
            r.problem(429, "too many searches at once");
            assertThat(r.header("Retry-After")).isEqualTo("3");
            assertThat(r.get("limit").stringValue()).isEqualTo("lsr.limits.max-concurrent-searches");
        }
        HttpRequest probe = HttpRequest.newBuilder(uri("/collections/busy/search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(search)).build();
        assertThat(exchange(probe).status()).as("a lone search after the flood").isEqualTo(200);
        System.out.printf("BackpressureTest: 8 clients, 1 search slot: %s%n", statuses);
    }
}
