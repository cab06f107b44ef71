package dev.lsr.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metadata filter in the index's filter language: {@code term}, {@code terms}, {@code range},
 * {@code and}, {@code or}, {@code not}. A field is {@code id} or a metadata key; values are
 * strings, numbers or booleans (metadata strings and booleans match exactly, numbers numerically,
 * ranges over strings compare lexicographically).
 *
 * <pre>{@code
 * Filter f = Filter.and(Filter.term("lang", "en"), Filter.range("year").gte(2020).build());
 * }</pre>
 */
public sealed interface Filter {

    /** The filter as the JSON tree the REST API takes ({@code {"term": {"f": v}}}, ...). */
    Map<String, Object> toJson();

    /** {@code field == value}. */
    static Filter term(String field, Object value) {
        return new Term(field, value);
    }

    /** {@code field} equals one of {@code values}. */
    static Filter terms(String field, List<?> values) {
        return new Terms(field, values);
    }

    /** Starts a range over {@code field}; give at least one bound. */
    static RangeBuilder range(String field) {
        return new RangeBuilder(field);
    }

    /** Every filter matches. */
    static Filter and(Filter... filters) {
        return new And(List.of(filters));
    }

    static Filter and(List<Filter> filters) {
        return new And(filters);
    }

    /** At least one filter matches. */
    static Filter or(Filter... filters) {
        return new Or(List.of(filters));
    }

    static Filter or(List<Filter> filters) {
        return new Or(filters);
    }

    /** The filter does not match. */
    static Filter not(Filter filter) {
        return new Not(filter);
    }

    record Term(String field, Object value) implements Filter {
        public Term {
            Objects.requireNonNull(field, "field");
            checkValue(value, field);
        }

        @Override
        public Map<String, Object> toJson() {
            return Map.of("term", Map.of(field, value));
        }
    }

    record Terms(String field, List<?> values) implements Filter {
        public Terms {
            Objects.requireNonNull(field, "field");
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("terms filter on '" + field + "' needs at least one value");
            }
            values.forEach(v -> checkValue(v, field));
        }

        @Override
        public Map<String, Object> toJson() {
            return Map.of("terms", Map.of(field, values));
        }
    }

    /** Bounds are null when absent; strings compare lexicographically, numbers numerically. */
    record Range(String field, Object gt, Object gte, Object lt, Object lte) implements Filter {
        public Range {
            Objects.requireNonNull(field, "field");
            if (gt == null && gte == null && lt == null && lte == null) {
                throw new IllegalArgumentException("range filter on '" + field + "' needs at least one of gt, gte, lt, lte");
            }
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> bounds = new LinkedHashMap<>();
            put(bounds, "gt", gt);
            put(bounds, "gte", gte);
            put(bounds, "lt", lt);
            put(bounds, "lte", lte);
            return Map.of("range", Map.of(field, bounds));
        }

        private static void put(Map<String, Object> m, String k, Object v) {
            if (v != null) {
                m.put(k, v);
            }
        }
    }

    record And(List<Filter> filters) implements Filter {
        public And {
            filters = List.copyOf(filters);
            if (filters.isEmpty()) {
                throw new IllegalArgumentException("and needs at least one filter");
            }
        }

        @Override
        public Map<String, Object> toJson() {
            return Map.of("and", json(filters));
        }
    }

    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = List.copyOf(filters);
            if (filters.isEmpty()) {
                throw new IllegalArgumentException("or needs at least one filter");
            }
        }

        @Override
        public Map<String, Object> toJson() {
            return Map.of("or", json(filters));
        }
    }

    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }

        @Override
        public Map<String, Object> toJson() {
            return Map.of("not", filter.toJson());
        }
    }

    /** Collects range bounds; {@link #build()} makes the filter. */
    final class RangeBuilder {
        private final String field;
        private Object gt;
        private Object gte;
        private Object lt;
        private Object lte;

        private RangeBuilder(String field) {
            this.field = Objects.requireNonNull(field, "field");
        }

        public RangeBuilder gt(Object v) {
            gt = bound(v);
            return this;
        }

        public RangeBuilder gte(Object v) {
            gte = bound(v);
            return this;
        }

        public RangeBuilder lt(Object v) {
            lt = bound(v);
            return this;
        }

        public RangeBuilder lte(Object v) {
            lte = bound(v);
            return this;
        }

        public Filter build() {
            return new Range(field, gt, gte, lt, lte);
        }

        private Object bound(Object v) {
            if (!(v instanceof Number) && !(v instanceof String)) {
                throw new IllegalArgumentException("a range bound on '" + field + "' must be a number or a string, was " + v);
            }
            return v;
        }
    }

    private static List<Object> json(List<Filter> filters) {
        List<Object> out = new ArrayList<>(filters.size());
        filters.forEach(f -> out.add(f.toJson()));
        return out;
    }

    private static void checkValue(Object v, String field) {
        if (!(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
            throw new IllegalArgumentException("a filter value on '" + field + "' must be a string, number or boolean, was "
                    + (v == null ? "null" : v.getClass().getSimpleName()));
        }
    }
}
