package dev.lsr.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document the running server publishes at {@code /v3/api-docs}: request and response
 * bodies are typed schemas (a vector is one of its two forms, a filter one of the six, settings
 * the settings record), not untyped JSON objects, and every property name is snake_case.
 */
class OpenApiSchemaTest extends ApiTestBase {

    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*|[a-z0-9]+@[0-9]+");

    private JsonNode api;
    private JsonNode schemas;

    @BeforeEach
    void fetch() {
        api = get("/v3/api-docs").ok(200).json();
        schemas = api.path("components").path("schemas");
    }

    private JsonNode schema(String name) {
        JsonNode s = schemas.path(name);
        assertThat(s.isObject()).as("schema %s in %s", name, schemas.propertyNames()).isTrue();
        return s;
    }

    private static String ref(JsonNode node) {
        return node.path("$ref").asString("").replace("#/components/schemas/", "");
    }

    private static List<String> oneOfRefs(JsonNode s) {
        List<String> refs = new ArrayList<>();
        s.path("oneOf").forEach(n -> refs.add(ref(n)));
        return refs;
    }

    @Test
    void searchRequestAndResponseHaveTypedProperties() {
        JsonNode search = api.path("paths").path("/collections/{name}/search").path("post");
        assertThat(ref(search.path("requestBody").path("content").path("application/json").path("schema")))
                .isEqualTo("SearchRequest");
        assertThat(ref(search.path("responses").path("200").path("content").path("*/*").path("schema")))
                .isEqualTo("SearchResponse");

        JsonNode request = schema("SearchRequest").path("properties");
        assertThat(request.path("query").path("type").asString()).isEqualTo("string");
        assertThat(request.path("k").path("type").asString()).isEqualTo("integer");
        assertThat(request.path("mode").path("enum").toString()).contains("approximate", "exact", "bm25", "hybrid");
        assertThat(ref(request.path("vector"))).isEqualTo("SparseVector");
        assertThat(ref(request.path("filter"))).isEqualTo("Filter");
        assertThat(ref(request.path("params"))).isEqualTo("SearchParams");
        assertThat(request.path("explain").path("type").asString()).isEqualTo("boolean");

        assertThat(oneOfRefs(schema("SparseVector"))).containsExactlyInAnyOrder("IdsAndWeights", "TokenWeights");
        JsonNode ids = schema("IdsAndWeights");
        assertThat(ids.path("properties").path("indices").path("items").path("type").asString()).isEqualTo("integer");
        assertThat(ids.path("properties").path("values").path("items").path("type").asString()).isEqualTo("number");
        assertThat(ids.path("required").toString()).contains("indices", "values");
        JsonNode tokens = schema("TokenWeights");
        assertThat(tokens.path("type").asString()).isEqualTo("object");
        assertThat(tokens.has("properties")).as("TokenWeights: %s", tokens).isFalse();
        assertThat(tokens.path("additionalProperties").path("type").asString()).isEqualTo("number");

        assertThat(oneOfRefs(schema("Filter"))).containsExactlyInAnyOrder(
                "TermFilter", "TermsFilter", "RangeFilter", "AndFilter", "OrFilter", "NotFilter");
        assertThat(ref(schema("AndFilter").path("properties").path("and").path("items"))).isEqualTo("Filter");
        assertThat(ref(schema("NotFilter").path("properties").path("not"))).isEqualTo("Filter");
        assertThat(ref(schema("RangeFilter").path("properties").path("range").path("additionalProperties")))
                .isEqualTo("RangeBounds");

        JsonNode params = schema("SearchParams").path("properties");
        assertThat(params.propertyNames()).contains("query_cut", "heap_factor", "fusion", "rrf_k", "sparse_weight",
                "bm25_weight", "candidates", "query_encoder", "idf_power", "prf");
        assertThat(params.path("query_cut").path("type").asString()).isEqualTo("integer");
        assertThat(ref(params.path("prf"))).isEqualTo("PrfParams");

        JsonNode response = schema("SearchResponse").path("properties");
        assertThat(ref(response.path("hits").path("items"))).isEqualTo("Hit");
        assertThat(response.path("took_ms").path("type").asString()).isEqualTo("number");
        assertThat(ref(response.path("query"))).isEqualTo("SearchedQuery");
        JsonNode hit = schema("Hit").path("properties");
        assertThat(hit.path("score").path("type").asString()).isEqualTo("number");
        assertThat(ref(hit.path("metadata"))).as("Hit.metadata: %s", hit.path("metadata")).isEqualTo("Metadata");
        JsonNode metadata = schema("Metadata");
        assertThat(metadata.path("additionalProperties").toString()).as("Metadata: %s", metadata)
                .satisfiesAnyOf(a -> assertThat(a).contains("ScalarValue"), a -> assertThat(a).contains("oneOf"));
        assertThat(metadata.has("properties")).as("Metadata: %s", metadata).isFalse();
        assertThat(ref(hit.path("explanation").path("items"))).isEqualTo("HitTerm");
        assertThat(schema("HitTerm").path("properties").propertyNames())
                .contains("token", "term_id", "query_weight", "document_weight", "contribution");
    }

    @Test
    void collectionSettingsDocumentsAndEncodeAreTyped() {
        JsonNode create = api.path("paths").path("/collections/{name}").path("put");
        assertThat(ref(create.path("requestBody").path("content").path("application/json").path("schema")))
                .isEqualTo("CollectionSettings");
        JsonNode settings = schema("CollectionSettings").path("properties");
        assertThat(settings.propertyNames()).contains("model", "dim", "seismic", "search", "exact_segment_max_docs",
                "refresh_interval_ms", "writer", "bm25");
        assertThat(schema("SeismicSettings").path("properties").propertyNames()).contains("n_postings", "summary_alpha");
        assertThat(ref(schema("Collection").path("properties").path("settings"))).isEqualTo("CollectionSettings");

        JsonNode add = api.path("paths").path("/collections/{name}/documents").path("post");
        assertThat(ref(add.path("requestBody").path("content").path("application/json").path("schema").path("items")))
                .isEqualTo("DocumentInput");
        assertThat(ref(add.path("requestBody").path("content").path("application/x-ndjson").path("schema")))
                .isEqualTo("DocumentInput");
        assertThat(ref(add.path("responses").path("200").path("content").path("*/*").path("schema"))).isEqualTo("BatchResult");
        assertThat(ref(add.path("responses").path("202").path("content").path("*/*").path("schema"))).isEqualTo("Job");
        assertThat(ref(schema("DocumentInput").path("properties").path("vector"))).isEqualTo("SparseVector");
        assertThat(ref(schema("Document").path("properties").path("vector"))).isEqualTo("SparseVector");
        assertThat(ref(schema("EncodedText").path("properties").path("vector"))).isEqualTo("TokenWeights");
        assertThat(ref(schema("CollectionList").path("properties").path("collections").path("items")))
                .isEqualTo("CollectionStats");
    }

    /**
     * No property of any published schema is an untyped object (what a {@code JsonNode} or
     * {@code Object} field publishes), and every property name is snake_case.
     */
    @Test
    void everyPropertyIsTypedAndSnakeCase() {
        List<String> untyped = new ArrayList<>();
        List<String> notSnake = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s : schemas.properties()) {
            for (Map.Entry<String, JsonNode> p : s.getValue().path("properties").properties()) {
                JsonNode v = p.getValue();
                boolean typed = v.has("type") || v.has("$ref") || v.has("oneOf") || v.has("allOf") || v.has("anyOf");
                if (!typed) {
                    untyped.add(s.getKey() + "." + p.getKey() + " = " + v);
                }
                if (!SNAKE.matcher(p.getKey()).matches()) {
                    notSnake.add(s.getKey() + "." + p.getKey());
                }
            }
        }
        assertThat(untyped).as("properties without a type").isEmpty();
        assertThat(notSnake).as("property names that are not snake_case").isEmpty();
    }
}
