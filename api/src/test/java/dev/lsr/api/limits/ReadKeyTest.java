package dev.lsr.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * With a write key and a read key: {@code /encode} needs a key, searches and reads need the read
 * key (or the write key), the read key changes nothing (403), no key is a 401; each refusal is a
 * problem body and leaves the collection as it was. The page, health and OpenAPI stay open.
 */
@TestPropertySource(properties = "lsr.read-api-key=" + ReadKeyTest.READ_KEY)
class ReadKeyTest extends ApiTestBase {

    static final String READ_KEY = "read-only-key";

    private Reply as(String key, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return exchange(b.build());
    }

    @Test
    void readKeyGuardsReadsAndEncodeAndAllowsNoWrites() {
        put("/collections/keyed", "{\"model\": null, \"dim\": 100, \"refresh_interval_ms\": 0}").ok(201);
        post("/collections/keyed/documents?commit=true&refresh=true", "[{\"id\": \"a\", \"vector\": {\"indices\": [1], \"values\": [1]}}]").ok(200);
        String search = "{\"vector\": {\"indices\": [1], \"values\": [1]}, \"k\": 1, \"mode\": \"exact\"}";
        String encode = "{\"texts\": [\"sparse retrieval\"], \"kind\": \"query\"}";
        String state = state();

        // No key: 401 on reads, searches, /encode and writes alike.
        for (String[] r : new String[][] {{"GET", "/collections"}, {"GET", "/collections/keyed"}, {"GET", "/collections/keyed/stats"},
                {"GET", "/collections/keyed/documents/a"}, {"GET", "/jobs"}, {"GET", "/jobs/x"}, {"GET", "/collections/keyed/documents/a;/x"},
                {"GET", "/actuator/../collections/keyed"}, {"GET", "/collections/keyed/documents/..;/stats"}}) {
            as(null, r[0], r[1], null).problem(401, "Authorization: Bearer");
            as("wrong", r[0], r[1], null).problem(401, "the API key is wrong");
        }
        as(null, "POST", "/collections/keyed/search", search).problem(401, "read or write api key");
        as(null, "POST", "/encode", encode).problem(401, "/encode needs");
        as("wrong", "POST", "/encode", encode).problem(401, "the API key is wrong");

        // The read key: reads, searches and /encode; every write a 403 that changes nothing.
        assertThat(as(READ_KEY, "GET", "/collections/keyed/documents/a", null).ok(200).get("id").stringValue()).isEqualTo("a");
        assertThat(as(READ_KEY, "POST", "/collections/keyed/search", search).ok(200).get("hits").get(0).get("id").stringValue()).isEqualTo("a");
        as(READ_KEY, "GET", "/jobs", null).ok(200);
        if (hasTinyModel()) {
            as(READ_KEY, "POST", "/encode", encode).ok(200);
        }
        as(READ_KEY, "PUT", "/collections/other", "{\"model\": null, \"dim\": 100}").problem(403, "read API key");
        as(READ_KEY, "POST", "/collections/keyed/documents?commit=true&refresh=true",
                "[{\"id\": \"b\", \"vector\": {\"indices\": [2], \"values\": [1]}}]").problem(403, "read API key");
        as(READ_KEY, "DELETE", "/collections/keyed/documents/a?commit=true&refresh=true", null).problem(403, "read API key");
        as(READ_KEY, "DELETE", "/collections/keyed", null).problem(403, "read API key");
        as(READ_KEY, "DELETE", "/jobs/x", null).problem(403, "read API key");
        assertThat(state()).as("nothing changed by refused requests").isEqualTo(state);

        // The write key also reads; open endpoints stay open.
        as(API_KEY, "POST", "/collections/keyed/search", search).ok(200);
        as(API_KEY, "GET", "/collections", null).ok(200);
        for (String open : new String[] {"/", "/app.js", "/actuator/health/readiness", "/v3/api-docs", "/actuator/prometheus"}) {
            assertThat(as(null, "GET", open, null).status()).as(open).isEqualTo(200);
        }
    }

    private String state() {
        return as(API_KEY, "GET", "/collections", null).ok(200).body()
                + as(API_KEY, "GET", "/collections/keyed/documents/a", null).status()
                + as(API_KEY, "GET", "/collections/keyed/documents/b", null).status()
                + as(API_KEY, "GET", "/collections/other", null).status();
    }
}
