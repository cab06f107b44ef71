package dev.lsr.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The REST flow on a collection without a model (vectors only): runs without ../shared. Vectors are
 * chosen so that the expected ranking is known: document {@code d<i>} has term {@code i} with weight
 * {@code i+1} plus the shared term 0.
 */
class VectorCollectionTest extends ApiTestBase {

    private static Map<String, Object> doc(int i) {
        return Map.of("id", "d" + i, "title", "doc " + i, "text", i % 2 == 0 ? "even apples" : "odd oranges",
                "metadata", Map.of("parity", i % 2 == 0 ? "even" : "odd", "n", i),
                "vector", Map.of("indices", List.of(0, 10 + i), "values", List.of(1.0, i + 1.0)));
    }

    @Test
    void createAddSearchEveryModeFilterExplainGetDelete() {
        // "model": null: no model even when a default model is configured.
        JsonNode created = put("/collections/vec", "{\"model\": null, \"dim\": 1000, \"refresh_interval_ms\": 0}").ok(201).json();
        assertThat(created.get("settings").has("model")).isFalse();
        assertThat(created.get("stats").get("docs").intValue()).isZero();
        put("/collections/vec", "{\"model\": null}").problem(409, "vec");

        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            docs.add(doc(i));
        }
        JsonNode added = post("/collections/vec/documents?refresh=true&commit=true", docs).ok(200).json();
        assertThat(added.get("indexed").intValue()).isEqualTo(6);
        assertThat(added.get("items").get(0).get("status").stringValue()).isEqualTo("indexed");

        assertThat(get("/collections").ok(200).json().get("collections").toString()).contains("\"name\":\"vec\"");
        assertThat(get("/collections/vec/stats").ok(200).json().get("docs").intValue()).isEqualTo(6);

        // Query: term 15 (only d5) heavily, term 0 (all) lightly: d5 first, then by term 0 ties.
        Map<String, Object> vector = Map.of("indices", List.of(0, 15), "values", List.of(0.5, 2.0));
        for (String mode : List.of("approximate", "exact")) {
            JsonNode r = post("/collections/vec/search", Map.of("vector", vector, "k", 3, "mode", mode, "explain", true)).ok(200).json();
            assertThat(r.get("mode").stringValue()).isEqualTo(mode);
            JsonNode hits = r.get("hits");
            assertThat(hits.size()).isEqualTo(3);
            assertThat(hits.get(0).get("id").stringValue()).isEqualTo("d5");
            assertThat(hits.get(0).get("score").floatValue()).isEqualTo(0.5f * 1f + 2f * 6f);
            JsonNode explanation = hits.get(0).get("explanation");
            assertThat(explanation.get(0).get("term_id").intValue()).isEqualTo(15);
            assertThat(explanation.get(0).get("contribution").floatValue()).isEqualTo(12f);
            assertThat(r.get("took_ms").doubleValue()).isPositive();
            assertThat(r.get("query").get("terms").size()).isEqualTo(2);
        }

        // stored_fields false: the same hits and scores with id and score only, in every mode, explained too.
        for (String mode : List.of("approximate", "exact", "hybrid")) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("vector", vector, "query", "oranges", "k", 4, "mode", mode));
            JsonNode full = post("/collections/vec/search", body).ok(200).json();
            body.put("stored_fields", false);
            JsonNode bare = post("/collections/vec/search", body).ok(200).json();
            body.put("explain", true);
            JsonNode explained = post("/collections/vec/search", body).ok(200).json();
            assertThat(bare.get("hits").size()).as(mode).isEqualTo(full.get("hits").size()).isPositive();
            for (int i = 0; i < full.get("hits").size(); i++) {
                JsonNode f = full.get("hits").get(i);
                for (JsonNode b : List.of(bare.get("hits").get(i), explained.get("hits").get(i))) {
                    assertThat(b.get("id")).as(mode).isEqualTo(f.get("id"));
                    assertThat(b.get("score")).as(mode).isEqualTo(f.get("score"));
                    assertThat(b.has("text") || b.has("title") || b.has("metadata")).as(mode).isFalse();
                }
                assertThat(f.get("metadata").get("n")).isNotNull();
                assertThat(explained.get("hits").get(i).get("explanation").size()).isPositive();
            }
        }
        post("/collections/vec/search", Map.of("vector", vector, "stored_fields", "no")).problem(400, "stored_fields");

        // Delete by filter: a missing or bad filter is refused, changing nothing.
        post("/collections/vec/documents/delete", Map.of()).problem(400, "field 'filter' is required");
        post("/collections/vec/documents/delete", Map.of("filter", Map.of("like", 1))).problem(400, "like");
        assertThat(get("/collections/vec/stats").ok(200).json().get("docs").intValue()).isEqualTo(6);

        // Filter: only even documents, so d5 cannot appear.
        JsonNode filtered = post("/collections/vec/search", Map.of("vector", vector, "k", 10,
                "filter", Map.of("term", Map.of("parity", "even")))).ok(200).json();
        assertThat(filtered.get("hits").size()).isEqualTo(3);
        filtered.get("hits").forEach(h -> assertThat(h.get("metadata").get("parity").stringValue()).isEqualTo("even"));
        JsonNode ranged = post("/collections/vec/search", Map.of("vector", vector, "k", 10,
                "filter", Map.of("range", Map.of("n", Map.of("gte", 4))))).ok(200).json();
        assertThat(ranged.get("hits").size()).isEqualTo(2);

        // BM25 over the stored text; hybrid fuses it with the vector ranking.
        JsonNode bm25 = post("/collections/vec/search", Map.of("query", "oranges", "mode", "bm25", "k", 10)).ok(200).json();
        assertThat(bm25.get("hits").size()).isEqualTo(3);
        bm25.get("hits").forEach(h -> assertThat(h.get("text").stringValue()).contains("oranges"));
        JsonNode hybrid = post("/collections/vec/search", Map.of("query", "oranges", "vector", vector, "mode", "hybrid", "k", 2,
                "params", Map.of("fusion", "linear", "sparse_weight", 0.5, "bm25_weight", 0.5))).ok(200).json();
        assertThat(hybrid.get("hits").get(0).get("id").stringValue()).isEqualTo("d5");

        // One document, its vector back in the arrays form (no vocabulary), then deleted.
        JsonNode d3 = get("/collections/vec/documents/d3").ok(200).json();
        assertThat(d3.get("vector").get("indices").toString()).isEqualTo("[0,13]");
        assertThat(d3.get("metadata").get("n").intValue()).isEqualTo(3);
        delete("/collections/vec/documents/d5?refresh=true").ok(200);
        get("/collections/vec/documents/d5").problem(404, "d5");
        JsonNode after = post("/collections/vec/search", Map.of("vector", vector, "k", 1)).ok(200).json();
        assertThat(after.get("hits").get(0).get("id").stringValue()).isNotEqualTo("d5");

        // Delete by filter: the odd documents left (d1, d3; d5 is gone), counted, then not found.
        assertThat(post("/collections/vec/documents/delete?refresh=true", Map.of("filter", Map.of("term", Map.of("parity", "odd"))))
                .ok(200).json().get("deleted").longValue()).isEqualTo(2);
        assertThat(post("/collections/vec/search", Map.of("vector", vector, "k", 10, "mode", "exact")).ok(200).json().get("hits"))
                .allSatisfy(h -> assertThat(h.get("metadata").get("parity").stringValue()).isEqualTo("even")).hasSize(3);

        // A vector-only collection cannot encode text.
        post("/collections/vec/search", Map.of("query", "apples")).problem(400, "has no model");
        post("/collections/vec/documents", List.of(Map.of("id", "t", "text", "apples"))).problem(400, "needs a 'vector'");

        delete("/collections/vec").ok(204);
        get("/collections/vec").problem(404, "collection 'vec' does not exist");
    }

    @Test
    void largeBatchRunsAsJobWithProgressAndPerDocumentErrors() throws InterruptedException {
        put("/collections/jobs", "{\"model\": null, \"dim\": 1000}").ok(201);
        StringBuilder ndjson = new StringBuilder();
        int n = 30;
        for (int i = 0; i < n; i++) {
            ndjson.append(JSON.writeValueAsString(doc(i))).append('\n');
        }
        ndjson.append("{\"id\": \"bad\", \"vector\": {\"indices\": [1], \"values\": [-2]}}\n");
        Reply accepted = send("POST", "/collections/jobs/documents?refresh=true", "application/x-ndjson", ndjson.toString(), true).ok(202);
        String id = accepted.get("id").stringValue();
        assertThat(accepted.get("total").intValue()).isEqualTo(n + 1);

        JsonNode job = awaitJob(id);
        assertThat(job.get("state").stringValue()).isEqualTo("succeeded");
        assertThat(job.get("processed").intValue()).isEqualTo(n + 1);
        assertThat(job.get("indexed").intValue()).isEqualTo(n);
        assertThat(job.get("failed").intValue()).isEqualTo(1);
        assertThat(job.get("progress").doubleValue()).isEqualTo(1.0);
        assertThat(job.get("errors").get(0).get("id").stringValue()).isEqualTo("bad");
        assertThat(job.get("errors").get(0).get("error").stringValue()).contains("weight -2.0 must be > 0");
        assertThat(get("/jobs").ok(200).json().get("jobs").toString()).contains(id);
        assertThat(get("/collections/jobs/stats").ok(200).json().get("docs").intValue()).isEqualTo(n);
        delete("/collections/jobs").ok(204);
    }

    @Test
    void mixedBatchReportsEachDocument() {
        put("/collections/mixed", "{\"model\": null, \"dim\": 100}").ok(201);
        String body = """
                [{"id": "a", "vector": {"indices": [1, 2], "values": [0.5, 1.5]}},
                 {"id": "b", "vector": {"indices": [100], "values": [1]}},
                 {"title": "no id", "vector": {"indices": [3], "values": [1]}},
                 {"id": "c", "vector": {"indices": [3], "values": [1]}, "metadata": {"nested": {"x": 1}}},
                 {"id": "d", "vector": {"indices": [4], "values": [1]}, "colour": "red"}]""";
        JsonNode r = post("/collections/mixed/documents", body).ok(200).json();
        assertThat(r.get("indexed").intValue()).isEqualTo(1);
        assertThat(r.get("failed").intValue()).isEqualTo(4);
        JsonNode items = r.get("items");
        assertThat(items.get(0).get("status").stringValue()).isEqualTo("indexed");
        assertThat(items.get(1).get("error").stringValue()).contains("document 'b'").contains("outside [0, 100)");
        assertThat(items.get(2).get("error").stringValue()).contains("document #2").contains("'id' is required");
        assertThat(items.get(3).get("error").stringValue()).contains("nested");
        assertThat(items.get(4).get("error").stringValue()).contains("unknown member 'colour'");
        delete("/collections/mixed").ok(204);
    }

    @Test
    void serviceEndpoints() {
        assertThat(get("/actuator/health/readiness").ok(200).get("status").stringValue()).isEqualTo("UP");
        assertThat(get("/actuator/health/liveness").ok(200).get("status").stringValue()).isEqualTo("UP");
        JsonNode api = get("/v3/api-docs").ok(200).json();
        assertThat(api.get("paths").has("/collections/{name}/search")).isTrue();
        assertThat(api.get("paths").has("/encode")).isTrue();
        assertThat(get("/swagger-ui/index.html").status()).isEqualTo(200);
        Reply page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"query\"");
        // A search and an error run here; the search timer is exported with buckets, errors counted.
        get("/collections/absent").problem(404, "absent");
        put("/collections/metrics", "{\"model\": null, \"dim\": 10}").ok(201);
        post("/collections/metrics/search", Map.of("vector", Map.of("indices", List.of(1), "values", List.of(1.0)))).ok(200);
        String prometheus = get("/actuator/prometheus").ok(200).body();
        assertThat(prometheus).contains("lsr_search_seconds_bucket{").contains("lsr_errors_total{");
        delete("/collections/metrics").ok(204);
    }
}
