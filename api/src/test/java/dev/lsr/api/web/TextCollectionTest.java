package dev.lsr.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The REST flow with text: documents and queries encoded by the tiny model (imported from
 * ../shared into the test's data directory at startup). The tiny model is random, so rankings are
 * checked against the service's own exact search, not against meaning.
 */
class TextCollectionTest extends ApiTestBase {

    private static final List<String> TEXTS = List.of(
            "Learned sparse retrieval expands documents with related terms.",
            "Inverted indexes store posting lists for each vocabulary term.",
            "The cat sat on the warm mat in the afternoon sun.",
            "Approximate search trades a little recall for a lot of speed.",
            "BM25 ranks documents by term frequency and inverse document frequency.",
            "Transformers encode text into contextual vector representations.");

    @BeforeEach
    void needsModel() {
        assumeTinyModel();
    }

    @Test
    void textDocumentsSearchedInEveryModeWithExplanations() {
        JsonNode created = put("/collections/text", null).ok(201).json();
        assertThat(created.get("settings").get("model").stringValue()).isEqualTo("tiny-mlm");
        assertThat(created.get("settings").get("dim").intValue()).isEqualTo(30522);

        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            docs.add(Map.of("id", "t" + i, "title", "Doc " + i, "text", TEXTS.get(i), "metadata", Map.of("group", i < 3 ? "a" : "b")));
        }
        assertThat(post("/collections/text/documents?refresh=true", docs).ok(200).json().get("indexed").intValue()).isEqualTo(TEXTS.size());
        // NDJSON, and a document whose vector is given in the token form.
        String ndjson = "{\"id\": \"t6\", \"text\": \"sparse vectors in ndjson\"}\n"
                + "{\"id\": \"t7\", \"text\": \"given vector\", \"vector\": {\"sparse\": 2.0, \"vector\": 1.0}}\n";
        JsonNode nd = send("POST", "/collections/text/documents?refresh=true", "application/x-ndjson", ndjson, true).ok(200).json();
        assertThat(nd.get("indexed").intValue()).isEqualTo(2);
        JsonNode t7 = get("/collections/text/documents/t7").ok(200).json();
        assertThat(t7.get("vector").toString()).isEqualTo("{\"sparse\":2.0,\"vector\":1.0}");
        assertThat(get("/collections/text/documents/t0").ok(200).json().get("vector").size()).isGreaterThan(10);

        String q = "sparse retrieval of documents";
        JsonNode exact = post("/collections/text/search", Map.of("query", q, "mode", "exact", "k", 5, "explain", true)).ok(200).json();
        assertThat(exact.get("hits").size()).isEqualTo(5);
        JsonNode approximate = post("/collections/text/search", Map.of("query", q, "k", 5, "explain", true)).ok(200).json();
        assertThat(approximate.get("mode").stringValue()).isEqualTo("approximate");
        // Small segments are searched exactly, so approximate equals exact here.
        assertThat(ids(approximate)).isEqualTo(ids(exact));

        JsonNode top = exact.get("hits").get(0);
        JsonNode explanation = top.get("explanation");
        assertThat(explanation.size()).isPositive();
        float sum = 0;
        for (JsonNode t : explanation) {
            assertThat(t.get("token").stringValue()).isNotBlank();
            assertThat(t.get("contribution").floatValue()).isCloseTo(
                    t.get("query_weight").floatValue() * t.get("document_weight").floatValue(), org.assertj.core.data.Offset.offset(1e-3f));
            sum += t.get("contribution").floatValue();
        }
        assertThat(sum).isCloseTo(top.get("score").floatValue(), org.assertj.core.data.Offset.offset(1e-2f * Math.max(1, sum)));
        JsonNode query = exact.get("query");
        assertThat(query.get("tokens").toString()).contains("sparse").contains("retrieval");
        assertThat(query.get("terms").size()).isPositive();
        assertThat(query.get("terms").get(0).has("expansion")).isTrue();

        JsonNode bm25 = post("/collections/text/search", Map.of("query", "cat mat", "mode", "bm25", "k", 3)).ok(200).json();
        assertThat(bm25.get("hits").get(0).get("id").stringValue()).isEqualTo("t2");
        JsonNode hybrid = post("/collections/text/search", Map.of("query", "cat mat", "mode", "hybrid", "k", 3)).ok(200).json();
        assertThat(hybrid.get("mode").stringValue()).isEqualTo("hybrid");
        assertThat(hybrid.get("hits").size()).isEqualTo(3);

        JsonNode filtered = post("/collections/text/search", Map.of("query", q, "k", 10, "filter", Map.of("term", Map.of("group", "b"))))
                .ok(200).json();
        assertThat(filtered.get("hits").size()).isEqualTo(3);
        filtered.get("hits").forEach(h -> assertThat(h.get("metadata").get("group").stringValue()).isEqualTo("b"));

        JsonNode inferenceFree = post("/collections/text/search", Map.of("query", q, "k", 3, "explain", true,
                "params", Map.of("query_encoder", "inference-free"))).ok(200).json();
        assertThat(inferenceFree.get("query").get("encoder").stringValue()).isEqualTo("inference-free");

        // A pre-computed vector in the token form: the 32 heaviest terms of the encoded query.
        JsonNode encoded = post("/encode", Map.of("texts", List.of(q), "kind", "query")).ok(200).json();
        Map<String, Double> vector = new java.util.LinkedHashMap<>();
        for (var e : encoded.get("vectors").get(0).get("vector").properties()) {
            if (vector.size() < 32) {
                vector.put(e.getKey(), e.getValue().doubleValue());
            }
        }
        JsonNode byVector = post("/collections/text/search", Map.of("vector", vector, "mode", "exact", "k", 5, "explain", true)).ok(200).json();
        assertThat(byVector.get("hits").size()).isEqualTo(5);
        assertThat(byVector.get("query").get("terms").size()).isEqualTo(32);
        assertThat(byVector.get("hits").get(0).get("score").floatValue())
                .isGreaterThanOrEqualTo(byVector.get("hits").get(4).get("score").floatValue());

        delete("/collections/text").ok(204);
    }

    /** Texts cut at the model's max tokens are flagged per document and counted per job. */
    @Test
    void truncatedDocumentsAreReportedPerItemAndPerJob() throws InterruptedException {
        put("/collections/cut", null).ok(201);
        String longText = "sparse retrieval ".repeat(400);
        JsonNode sync = post("/collections/cut/documents", List.of(Map.of("id", "short", "text", "a short text"),
                Map.of("id", "long", "text", longText))).ok(200).json();
        assertThat(sync.get("items").get(0).has("truncated")).isFalse();
        assertThat(sync.get("items").get(1).get("truncated").booleanValue()).isTrue();

        StringBuilder ndjson = new StringBuilder();
        int n = ASYNC_BATCH + 3;
        for (int i = 0; i < n; i++) {
            String text = i == 2 || i == n - 1 ? longText : "document number " + i + " about search";
            ndjson.append(JSON.writeValueAsString(Map.of("id", "j" + i, "text", text))).append('\n');
        }
        String id = send("POST", "/collections/cut/documents", "application/x-ndjson", ndjson.toString(), true).ok(202)
                .get("id").stringValue();
        JsonNode job = awaitJob(id);
        assertThat(job.get("state").stringValue()).isEqualTo("succeeded");
        assertThat(job.get("indexed").intValue()).isEqualTo(n);
        assertThat(job.get("truncated").intValue()).isEqualTo(2);
        assertThat(job.get("truncated_ids").toString()).isEqualTo("[\"j2\",\"j" + (n - 1) + "\"]");
        delete("/collections/cut").ok(204);
    }

    @Test
    void encodeQueriesAndDocuments() {
        JsonNode r = post("/encode", Map.of("texts", List.of("hello world", "sparse retrieval"), "kind", "document")).ok(200).json();
        assertThat(r.get("model").stringValue()).isEqualTo("tiny-mlm");
        assertThat(r.get("vectors").size()).isEqualTo(2);
        JsonNode first = r.get("vectors").get(0);
        assertThat(first.get("tokens").toString()).isEqualTo("[\"hello\",\"world\"]");
        assertThat(first.get("vector").size()).isBetween(1, 256);
        float previous = Float.MAX_VALUE;
        for (JsonNode w : first.get("vector")) {
            assertThat(w.floatValue()).isPositive().isLessThanOrEqualTo(previous);
            previous = w.floatValue();
        }
        post("/encode", Map.of("texts", List.of("x"), "kind", "passage")).problem(400, "'kind' must be query or document");
        post("/encode", Map.of("texts", List.of())).problem(400, "'texts' must be a non-empty array");
        post("/encode", Map.of("texts", List.of("x"), "model", "no-such-model")).problem(400, "no-such-model");
        put("/collections/wrongdim", Map.of("dim", 10)).problem(400, "vocabulary of 30522 terms");
        post("/collections/errs-text/search", Map.of("query", "x")).problem(404, "errs-text");
    }

    private static List<String> ids(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("hits").forEach(h -> out.add(h.get("id").stringValue()));
        Set<String> distinct = new HashSet<>(out);
        assertThat(distinct).hasSameSizeAs(out);
        return out;
    }
}
