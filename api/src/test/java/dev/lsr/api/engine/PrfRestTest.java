package dev.lsr.api.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code params.prf} over REST: the query vector is expanded with the first pass's top documents'
 * terms (weight 0 leaves it as it is), and bad PRF parameters are 400 problems naming the field.
 */
class PrfRestTest extends ApiTestBase {

    @Test
    void prfExpandsTheQueryWithTheTopDocumentsTerms() {
        assumeTinyModel();
        put("/collections/prf", null).ok(201);
        List<Map<String, Object>> docs = new ArrayList<>();
        String[] texts = {"Learned sparse retrieval expands documents with related terms.", "Dense retrieval embeds text into vectors.",
            "Lucene keeps inverted lists in segments.", "The cat sat on the mat.", "Vaccines train the immune system."};
        for (int i = 0; i < texts.length; i++) {
            docs.add(Map.of("id", "p" + i, "text", texts[i]));
        }
        post("/collections/prf/documents?refresh=true", docs).ok(200);
        String q = "sparse retrieval";
        JsonNode plain = search(Map.of("query", q, "mode", "exact", "explain", true));
        JsonNode zero = search(Map.of("query", q, "mode", "exact", "explain", true, "params", Map.of("prf", Map.of("weight", 0.0))));
        JsonNode expanded = search(Map.of("query", q, "mode", "exact", "explain", true,
                "params", Map.of("prf", Map.of("docs", 2, "terms", 10, "weight", 0.5))));
        assertThat(ids(zero)).isEqualTo(ids(plain));
        assertThat(zero.get("query").get("terms")).isEqualTo(plain.get("query").get("terms"));
        assertThat(expanded.get("query").get("terms").size()).isGreaterThan(plain.get("query").get("terms").size());
        // the expansion terms come from the first pass's top documents
        List<String> topTerms = new ArrayList<>();
        for (String id : ids(plain).subList(0, 2)) {
            get("/collections/prf/documents/" + id).ok(200).json().get("vector").propertyNames().forEach(topTerms::add);
        }
        List<String> added = new ArrayList<>();
        expanded.get("query").get("terms").forEach(t -> added.add(t.get("token").stringValue()));
        plain.get("query").get("terms").forEach(t -> added.remove(t.get("token").stringValue()));
        assertThat(added).isNotEmpty().allSatisfy(t -> assertThat(topTerms).contains(t));

        post("/collections/prf/search", Map.of("query", q, "params", Map.of("prf", Map.of("weight", 1.5))))
                .problem(400, "'prf.weight' must be in [0, 1], was 1.5");
        post("/collections/prf/search", Map.of("query", q, "params", Map.of("prf", Map.of("docs", 0))))
                .problem(400, "'prf.docs' must be in [1, 100], was 0");
    }

    private JsonNode search(Map<String, Object> body) {
        return post("/collections/prf/search", body).ok(200).json();
    }

    private static List<String> ids(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.get("hits").forEach(h -> out.add(h.get("id").stringValue()));
        return out;
    }
}
