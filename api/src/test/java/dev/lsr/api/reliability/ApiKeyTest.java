package dev.lsr.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code lsr.api-key} set (as in every api test), every write endpoint, reached by its plain
 * path or by a path dressed up to look like a read ({@code ;/search}, dot segments, doubled or
 * trailing slashes), refuses a request without the right key and changes nothing; reads stay open.
 */
class ApiKeyTest extends ApiTestBase {

    private static final String DOCS = "[{\"id\": \"intruder\", \"vector\": {\"indices\": [3], \"values\": [9]}}]";

    @Test
    void writesWithoutTheRightKeyAreRefusedAndChangeNothing() {
        if (get("/collections/guarded").status() != 200) {
            put("/collections/guarded", "{\"model\": null, \"dim\": 100, \"refresh_interval_ms\": 0}").ok(201);
            post("/collections/guarded/documents?commit=true&refresh=true",
                    "[{\"id\": \"keep\", \"vector\": {\"indices\": [1], \"values\": [1]}}]").ok(200);
        }
        String before = state();
        List<String[]> writes = List.of(
                new String[] {"PUT", "/collections/intruded", "{\"model\": null, \"dim\": 100}"},
                new String[] {"DELETE", "/collections/guarded", null},
                new String[] {"POST", "/collections/guarded/documents?commit=true&refresh=true", DOCS},
                new String[] {"DELETE", "/collections/guarded/documents/keep?commit=true&refresh=true", null},
                new String[] {"POST", "/collections/guarded/documents/delete?commit=true&refresh=true", "{\"filter\": {\"not\": {\"term\": {\"x\": 1}}}}"},
                new String[] {"POST", "/collections/guarded/documents;/search?commit=true&refresh=true", DOCS},
                new String[] {"POST", "/collections/guarded/documents;x=/search?commit=true&refresh=true", DOCS},
                new String[] {"POST", "/collections/guarded/documents/..;/search?commit=true&refresh=true", DOCS},
                new String[] {"POST", "/collections/guarded/documents/%2e%2e/search?commit=true&refresh=true", DOCS},
                new String[] {"POST", "//collections/guarded/documents?commit=true&refresh=true", DOCS},
                new String[] {"POST", "/collections/guarded/documents/?commit=true&refresh=true", DOCS},
                new String[] {"POST", "/collections/guarded/documents?commit=true&refresh=true&x=/search", DOCS},
                new String[] {"POST", "/collections/guarded/./documents?commit=true&refresh=true", DOCS},
                new String[] {"DELETE", "/collections/guarded/documents/keep;/search?commit=true&refresh=true", null},
                new String[] {"DELETE", "/collections/guarded;/search", null},
                new String[] {"PUT", "/collections/intruded;/search", "{\"model\": null, \"dim\": 100}"});
        List<String> auth = new ArrayList<>(java.util.Arrays.asList(null, "", "Bearer", "Bearer ", "Bearer wrong",
                "Bearer " + API_KEY + "x", "Bearer x" + API_KEY, "Basic " + API_KEY, API_KEY, "Bearer " + API_KEY.toUpperCase()));
        List<String> leaks = new ArrayList<>();
        for (String[] w : writes) {
            for (String a : auth) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + w[1])).timeout(Duration.ofSeconds(30));
                if (a != null) {
                    b.header("Authorization", a);
                }
                if (w[2] != null) {
                    b.header("Content-Type", "application/json");
                }
                b.method(w[0], w[2] == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(w[2]));
                Reply r = exchange(b.build());
                if (r.status() < 400 || r.status() >= 500) {
                    leaks.add(w[0] + " " + w[1] + " with " + a + " -> " + r.status() + " " + r.body());
                } else if (!w[1].contains(";") && !w[1].contains("..") && !w[1].contains("%2e") && !w[1].contains("//") && !w[1].contains("/./")) {
                    assertThat(r.status()).as("%s %s with %s: %s", w[0], w[1], a, r.body()).isEqualTo(401);
                    assertThat(r.contentType()).startsWith("application/problem+json");
                }
            }
        }
        assertThat(leaks).as("writes that got through without the key").isEmpty();
        assertThat(state()).as("nothing changed").isEqualTo(before);
        System.out.printf("ApiKeyTest: %d write requests without the right key refused, state unchanged%n", writes.size() * auth.size());

        // Reads are open without a key; writes work with it.
        assertThat(send("GET", "/collections/guarded/documents/keep", null, null, false).status()).isEqualTo(200);
        assertThat(send("POST", "/collections/guarded/search", "application/json",
                "{\"vector\": {\"indices\": [1], \"values\": [1]}, \"k\": 1}", false).status()).isEqualTo(200);
        post("/collections/guarded/documents?commit=true&refresh=true", "[{\"id\": \"keyed\", \"vector\": {\"indices\": [2], \"values\": [1]}}]").ok(200);
        delete("/collections/guarded/documents/keyed?commit=true&refresh=true").ok(200);
    }

    private String state() {
        return get("/collections").ok(200).json().toString() + get("/collections/guarded/stats").ok(200).json().get("docs")
                + get("/collections/guarded/documents/keep").ok(200).body() + get("/collections/intruded").status()
                + get("/collections/guarded/documents/intruder").status();
    }
}
