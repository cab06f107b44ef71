package dev.lsr.index;

import dev.lsr.index.filter.FilterCompiler;
import java.util.Objects;
import org.apache.lucene.search.Query;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated metadata filter (see {@link FilterCompiler} for the JSON language). Immutable;
 * compiled once at construction, so a bad filter fails before any search or delete runs.
 */
public final class Filter {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final JsonNode json;
    private final Query query;

    private Filter(JsonNode json) {
        this.json = json.deepCopy();
        this.query = FilterCompiler.compile(this.json);
    }

    /** @throws InvalidRequestException naming the bad part */
    public static Filter of(JsonNode json) {
        return new Filter(Objects.requireNonNull(json, "filter"));
    }

    /** @throws InvalidRequestException when the text is not JSON or not a valid filter */
    public static Filter parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidRequestException("filter is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return of(node);
    }

    /** {@code {"term": {field: value}}} with a string, number or boolean value. */
    public static Filter term(String field, Object value) {
        ObjectNode inner = JsonNodeFactory.instance.objectNode();
        inner.set(field, MAPPER.valueToTree(value));
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("term", inner);
        return of(root);
    }

    public JsonNode json() {
        return json.deepCopy();
    }

    /** The compiled, constant-scoring Lucene query. */
    public Query query() {
        return query;
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
