package dev.lsr.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.Collection;
import dev.lsr.index.Collections;
import dev.lsr.index.Hit;
import dev.lsr.index.SearchRequest;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lsr.search-threads}: a service whose searches run a collection's segments on a pool of
 * three threads answers every search through REST with exactly the hits and scores that the
 * sequential search of the same collection gives (the data directory reopened by the library,
 * without an executor, once the service has stopped). The collection has six segments, each with
 * a Seismic structure and pruned lists, so the concurrent phase of the search (the segments after
 * the largest half) really runs on the pool.
 */
class SearchThreadsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int DIM = 2000;
    private static final int SEGMENTS = 6;
    private static final int SEGMENT_DOCS = 1000;

    @TempDir
    Path tmp;

    @Test
    void concurrentSegmentSearchThroughRestEqualsSequentialSearch() throws Exception {
        Path data = tmp.resolve("data");
        int port = freePort();
        List<SparseVector> queries = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 40; i++) {
            queries.add(vector(rnd, 12));
        }
        List<String> rest = new ArrayList<>();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LsrApplication.class).run(
                "--server.port=" + port, "--lsr.data-dir=" + data, "--lsr.default-model=none", "--lsr.search-threads=3",
                "--lsr.limits.async-batch=100000", "--spring.jmx.enabled=false")) {
            // build_at_flush: the searches below are compared with the same searches after reopening,
            // so every segment must be searched through its structure from its first refresh on.
            assertThat(send(port, "PUT", "/collections/seg", """
                    {"model": null, "dim": %d, "refresh_interval_ms": 0, "exact_segment_max_docs": 500,
                     "seismic": {"n_postings": 20, "n_postings_docs": %d},
                     "writer": {"max_buffered_docs": %d, "merges": false, "build_at_flush": true}}""".formatted(DIM, SEGMENTS * SEGMENT_DOCS, SEGMENT_DOCS))
                    .statusCode()).isEqualTo(201);
            SplittableRandom docs = new SplittableRandom(5);
            for (int s = 0; s < SEGMENTS; s++) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < SEGMENT_DOCS; i++) {
                    SparseVector v = vector(docs, 30);
                    batch.append(i == 0 ? "" : ",").append("{\"id\": \"d").append(s * SEGMENT_DOCS + i).append("\", \"vector\": ")
                            .append(json(v)).append('}');
                }
                HttpResponse<String> added = send(port, "POST", "/collections/seg/documents?refresh=true", batch.append(']').toString());
                assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            }
            for (SparseVector q : queries) {
                HttpResponse<String> r = send(port, "POST", "/collections/seg/search", "{\"vector\": " + json(q) + ", \"k\": 10}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                rest.add(hits(JSON.readTree(r.body()).get("hits")));
            }
            // The pool's threads start on its first task: the searches did run segments on it.
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .anyMatch(n -> n.startsWith("lsr-search-"));
        }
        try (Collections collections = Collections.open(data)) {
            Collection c = collections.get("seg");
            assertThat(c.stats().segments()).isEqualTo(SEGMENTS);
            assertThat(c.stats().seismicSegments()).isEqualTo(SEGMENTS);
            for (int i = 0; i < queries.size(); i++) {
                List<Hit> sequential = c.search(SearchRequest.sparse(queries.get(i), 10)).hits();
                StringBuilder s = new StringBuilder();
                for (Hit h : sequential) {
                    s.append(h.id()).append('=').append(h.score()).append(' ');
                }
                assertThat(rest.get(i)).as("query %d", i).isEqualTo(s.toString());
                assertThat(sequential).hasSize(10);
            }
        }
    }

    private static String hits(JsonNode hits) {
        StringBuilder s = new StringBuilder();
        for (JsonNode h : hits) {
            s.append(h.get("id").stringValue()).append('=').append(h.get("score").floatValue()).append(' ');
        }
        return s.toString();
    }

    /** Terms clustered by topic (so that documents share terms with queries), weights in (0, 2). */
    private static SparseVector vector(SplittableRandom rnd, int nnz) {
        int topic = rnd.nextInt(30);
        TreeMap<Integer, Float> terms = new TreeMap<>();
        while (terms.size() < nnz) {
            int id = rnd.nextInt(3) == 0 ? rnd.nextInt(DIM) : topic * 50 + rnd.nextInt(60);
            terms.put(id, (float) (0.05 + 1.9 * rnd.nextDouble()));
        }
        int[] ids = terms.keySet().stream().mapToInt(Integer::intValue).toArray();
        float[] ws = new float[ids.length];
        int j = 0;
        for (float w : terms.values()) {
            ws[j++] = w;
        }
        return SparseVector.of(ids, ws, DIM);
    }

    private static String json(SparseVector v) {
        StringBuilder ids = new StringBuilder();
        StringBuilder ws = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            ids.append(i == 0 ? "" : ",").append(v.index(i));
            ws.append(i == 0 ? "" : ",").append(v.value(i));
        }
        return "{\"indices\": [" + ids + "], \"values\": [" + ws + "]}";
    }

    private static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
