package dev.lsr.engine;

import dev.lsr.index.Filter;
import dev.lsr.index.InvalidRequestException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed metadata filters, no JSON strings: {@code Filters.and(Filters.term("lang", "en"),
 * Filters.range("year").gte(2020))}. {@code field} is {@code id} or a metadata key; values are
 * strings, numbers or booleans. The result is the index's {@link Filter}, validated when built.
 */
public final class Filters {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Filters() {}

    /** Documents whose {@code field} equals {@code value}. */
    public static Filter term(String field, Object value) {
        return Filter.of(op("term", single(field, value(value))));
    }

    /** Documents whose {@code field} equals any of {@code values}. */
    public static Filter terms(String field, List<?> values) {
        ArrayNode a = NODES.arrayNode();
        for (Object v : values) {
            a.add(value(v));
        }
        return Filter.of(op("terms", single(field, a)));
    }

    /** Documents whose {@code field} equals any of {@code values}. */
    public static Filter terms(String field, Object... values) {
        return terms(field, List.of(values));
    }

    /** A range on {@code field}; give its bounds with {@link Range#gte} and friends. */
    public static Range range(String field) {
        return new Range(field, NODES.objectNode());
    }

    /** Documents matching every filter. */
    public static Filter and(Filter... filters) {
        return Filter.of(op("and", array(filters)));
    }

    /** Documents matching at least one filter. */
    public static Filter or(Filter... filters) {
        return Filter.of(op("or", array(filters)));
    }

    /** Documents not matching {@code filter}. */
    public static Filter not(Filter filter) {
        return Filter.of(op("not", filter.json()));
    }

    /** A range filter under construction; each bound returns a new range, and {@link #build} the filter. */
    public static final class Range {
        private final String field;
        private final ObjectNode bounds;

        private Range(String field, ObjectNode bounds) {
            this.field = field;
            this.bounds = bounds;
        }

        public Range gte(Object v) {
            return bound("gte", v);
        }

        public Range gt(Object v) {
            return bound("gt", v);
        }

        public Range lte(Object v) {
            return bound("lte", v);
        }

        public Range lt(Object v) {
            return bound("lt", v);
        }

        public Filter build() {
            return Filter.of(op("range", single(field, bounds)));
        }

        private Range bound(String op, Object v) {
            ObjectNode b = bounds.deepCopy();
            b.set(op, value(v));
            return new Range(field, b);
        }
    }

    private static JsonNode value(Object v) {
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw new InvalidRequestException("filter value must be a string, number or boolean, got "
                    + (v == null ? "null" : v.getClass().getSimpleName()));
        }
        return MAPPER.valueToTree(v);
    }

    private static ObjectNode single(String field, JsonNode v) {
        if (field == null || field.isEmpty()) {
            throw new InvalidRequestException("filter field must be a non-empty name");
        }
        ObjectNode o = NODES.objectNode();
        o.set(field, v);
        return o;
    }

    private static ArrayNode array(Filter... filters) {
        ArrayNode a = NODES.arrayNode();
        for (Filter f : filters) {
            a.add(f.json());
        }
        return a;
    }

    private static ObjectNode op(String name, JsonNode arg) {
        ObjectNode o = NODES.objectNode();
        o.set(name, arg);
        return o;
    }
}
