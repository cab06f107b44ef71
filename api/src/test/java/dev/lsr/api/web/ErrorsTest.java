package dev.lsr.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every documented error: the right status and an RFC 9457 problem body with a precise detail. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorsTest extends ApiTestBase {

    private static final String SEARCH = "/collections/errs/search";

    @BeforeAll
    void collection() {
        put("/collections/errs", "{\"model\": null, \"dim\": 50}").ok(201);
    }

    @AfterAll
    void cleanUp() {
        delete("/collections/errs").ok(204);
    }

    @Test
    void malformedJson() {
        post(SEARCH, "{\"vector\": ").problem(400, "malformed JSON at line 1");
        post("/collections/errs/documents", "[{\"id\": \"a\",]").problem(400, "malformed JSON at line 1, column 13");
        send("POST", "/collections/errs/documents", "application/x-ndjson", "{\"id\": \"a\"}\n{oops}\n", true)
                .problem(400, "malformed NDJSON at line 2");
        post(SEARCH, "").problem(400, "request body is missing");
        post("/collections/errs/documents", "{\"id\": \"a\"}").problem(400, "must be a JSON array");
    }

    @Test
    void wrongTypesAndUnknownFields() {
        post(SEARCH, "{\"k\": \"ten\"}").problem(400, "field 'k': expected an integer, got string \"ten\"");
        post(SEARCH, "{\"explain\": [1]}").problem(400, "field 'explain'");
        post(SEARCH, "{\"params\": {\"heap_factor\": \"high\"}}").problem(400, "field 'params.heap_factor': expected a number");
        post(SEARCH, "{\"kk\": 1}").problem(400, "unknown field 'kk'; expected one of: explain, filter, k, mode, params, query, stored_fields, vector");
        post(SEARCH, Map.of("vector", Map.of("indices", List.of(1), "values", List.of(1.0)), "mode", "fuzzy"))
                .problem(400, "'mode' must be one of approximate, exact, bm25, hybrid; was 'fuzzy'");
        post(SEARCH, Map.of("vector", Map.of("indices", List.of(1), "values", List.of(1.0)), "filter", Map.of("like", 1)))
                .problem(400, "like");
        put("/collections/typed", "{\"model\": null, \"dim\": \"big\"}").problem(400, "dim");
        put("/collections/typed", "{\"model\": null, \"colour\": 1}").problem(400, "colour");
        send("DELETE", "/collections/errs/documents/x?refresh=maybe", null, null, true)
                .problem(400, "parameter 'refresh' must be true or false, was 'maybe'");
        post(SEARCH, "[1, 2]").problem(400, "the request body must be a JSON object");
        assertThat(post(SEARCH, "[1, 2]").json().get("detail").stringValue()).doesNotContain("dev.lsr");
    }

    @Test
    void unknownCollectionRouteMethodMediaType() {
        post("/collections/nope/search", Map.of("query", "x")).problem(404, "collection 'nope' does not exist");
        get("/collections/nope").problem(404, "collection 'nope' does not exist");
        delete("/collections/nope").problem(404, "collection 'nope' does not exist");
        get("/jobs/1234").problem(404, "job '1234' does not exist");
        get("/no/such/route").problem(404, "no such resource: GET /no/such/route");
        Reply patch = send("PATCH", "/collections/errs", "application/json", "{}", true).problem(405, "method PATCH is not supported");
        assertThat(patch.json().get("detail").stringValue()).contains("GET").contains("PUT").contains("DELETE");
        send("POST", SEARCH, "text/plain", "hello", true).problem(415, "content type 'text/plain");
        send("POST", "/collections/errs/documents", "text/csv", "a,b", true).problem(415, "application/x-ndjson");
    }

    @Test
    void oversizedBodyDeclaredOrStreamed() {
        String big = "[{\"id\": \"x\", \"text\": \"" + "word ".repeat((int) (MAX_BODY / 5)) + "\"}]";
        post("/collections/errs/documents", big).problem(413, "larger than the limit of " + MAX_BODY + " bytes (lsr.limits.max-body-bytes)");
        // Without a Content-Length (a streamed body) the limit trips while reading.
        HttpRequest chunked = HttpRequest.newBuilder(uri("/collections/errs/documents"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build();
        Reply r = exchange(chunked).problem(413, "lsr.limits.max-body-bytes");
        assertThat(r.json().get("limit").stringValue()).isEqualTo("lsr.limits.max-body-bytes");
    }

    @Test
    void limits() {
        Map<String, Object> v = Map.of("indices", List.of(1), "values", List.of(1.0));
        Reply k = post(SEARCH, Map.of("vector", v, "k", MAX_K + 1)).problem(400, "above the limit of " + MAX_K + " (lsr.limits.max-k)");
        assertThat(k.json().get("limit").stringValue()).isEqualTo("lsr.limits.max-k");
        post(SEARCH, Map.of("vector", v, "k", 0)).problem(400, "'k' must be >= 1");
        post(SEARCH, Map.of("query", "x".repeat(MAX_QUERY_CHARS + 1), "mode", "bm25"))
                .problem(400, "above the limit of " + MAX_QUERY_CHARS + " (lsr.limits.max-query-chars)");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= MAX_BATCH; i++) {
            many.append("{\"id\":\"").append(i).append("\"}\n");
        }
        send("POST", "/collections/errs/documents", "application/x-ndjson", many.toString(), true)
                .problem(413, "more than " + MAX_BATCH + " documents in one request (lsr.limits.max-batch)");
        post("/encode", Map.of("texts", java.util.Collections.nCopies(MAX_BATCH + 1, "a")))
                .problem(413, "lsr.limits.max-batch");
        post(SEARCH, Map.of("vector", v, "params", Map.of("heap_factor", 2))).problem(400, "'params.heap_factor' must be in [0, 1]");
        post(SEARCH, Map.of("vector", v, "params", Map.of("query_cut", 0))).problem(400, "'params.query_cut' must be >= 1");
    }

    @Test
    void badVectors() {
        post(SEARCH, Map.of("vector", Map.of("indices", List.of(1, 2), "values", List.of(1.0))))
                .problem(400, "'indices' has 2 entries but 'values' has 1");
        post(SEARCH, Map.of("vector", Map.of("indices", List.of(50), "values", List.of(1.0)))).problem(400, "outside [0, 50)");
        post(SEARCH, Map.of("vector", Map.of("indices", List.of(1), "values", List.of("a")))).problem(400, "values[0]: expected a number");
        post(SEARCH, Map.of("vector", Map.of("indices", List.of(1.5), "values", List.of(1)))).problem(400, "indices[0]: expected an integer");
        post(SEARCH, Map.of("vector", Map.of("indices", List.of(1, 1), "values", List.of(1, 2)))).problem(400, "duplicate term id 1");
        post(SEARCH, Map.of("vector", Map.of("hello", 1.0))).problem(400, "this collection has no model");
        post(SEARCH, Map.of("vector", List.of(1, 2))).problem(400, "'vector' must be an object");
        post(SEARCH, Map.of("k", 3)).problem(400, "give 'query' (text) or 'vector'");
        post("/collections/errs/documents", List.of(Map.of("id", "v", "vector", Map.of("indices", List.of(1), "values", List.of(0)))))
                .problem(400, "document 'v' (#0): 'vector': entry 0 (term 1): weight 0.0 must be > 0");
    }

    @Test
    void invalidNames() {
        put("/collections/Bad.Name", "{}").problem(400, "invalid collection name 'Bad.Name'");
        put("/collections/..%2F..%2Fetc", "{}").problem(400, "invalid collection name '../../etc'");
        get("/collections/%2e%2e%2fsecret").problem(400, "invalid collection name '../secret'");
        put("/collections/" + "a".repeat(65), "{}").problem(400, "invalid collection name");
        post("/collections/UPPER/search", Map.of("query", "x")).problem(400, "invalid collection name 'UPPER'");
    }

    @Test
    void apiKeyGuardsWrites() {
        Reply missing = send("PUT", "/collections/locked", "application/json", "{}", false).problem(401, "Authorization: Bearer");
        assertThat(missing.json().has("status")).isTrue();
        HttpRequest wrong = HttpRequest.newBuilder(uri("/collections/locked")).header("Authorization", "Bearer nope")
                .DELETE().build();
        exchange(wrong).problem(401, "the API key is wrong");
        send("POST", "/collections/errs/documents", "application/json", "[]", false).problem(401, "Authorization");
        // /encode needs the key too (it is the most expensive call there is).
        send("POST", "/encode", "application/json", "{\"texts\": [\"x\"]}", false).problem(401, "/encode needs");
        // Reads and searches need no key (no lsr.read-api-key here).
        send("POST", SEARCH, "application/json", "{\"vector\": {\"indices\": [1], \"values\": [1]}}", false).ok(200);
        send("GET", "/collections/errs", null, null, false).ok(200);
    }
}
