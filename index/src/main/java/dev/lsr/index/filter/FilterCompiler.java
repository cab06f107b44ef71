package dev.lsr.index.filter;

import dev.lsr.index.InvalidRequestException;
import dev.lsr.index.write.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;
import tools.jackson.databind.JsonNode;

/**
 * Compiles the JSON filter language to a Lucene query:
 * <pre>
 * {"term":  {"field": value}}                   value: string, number or boolean
 * {"terms": {"field": [value, ...]}}
 * {"range": {"field": {"gte": x, "gt": x, "lte": x, "lt": x}}}   numbers, or strings (lexicographic)
 * {"and": [filter, ...]}  {"or": [filter, ...]}  {"not": filter}
 * </pre>
 * {@code field} is {@code id} or a metadata key. Errors name the JSON path of the bad part.
 */
public final class FilterCompiler {

    public static final int MAX_DEPTH = 32;
    public static final int MAX_TERMS = 65_536;

    private FilterCompiler() {}

    public static Query compile(JsonNode filter) {
        return new ConstantScoreQuery(node(filter, "filter", 1));
    }

    private static Query node(JsonNode n, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidRequestException(path + ": filter is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (n == null || !n.isObject() || n.size() != 1) {
            throw new InvalidRequestException(path + ": a filter is an object with exactly one of "
                    + "'term', 'terms', 'range', 'and', 'or', 'not'");
        }
        Map.Entry<String, JsonNode> op = n.properties().iterator().next();
        String p = path + "." + op.getKey();
        JsonNode arg = op.getValue();
        return switch (op.getKey()) {
            case "term" -> {
                Map.Entry<String, JsonNode> f = single(arg, p);
                yield term(f.getKey(), f.getValue(), p + "." + f.getKey());
            }
            case "terms" -> {
                Map.Entry<String, JsonNode> f = single(arg, p);
                yield terms(f.getKey(), f.getValue(), p + "." + f.getKey());
            }
            case "range" -> {
                Map.Entry<String, JsonNode> f = single(arg, p);
                yield range(f.getKey(), f.getValue(), p + "." + f.getKey());
            }
            case "and", "or" -> {
                if (!arg.isArray() || arg.isEmpty()) {
                    throw new InvalidRequestException(p + ": expects a non-empty array of filters");
                }
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                BooleanClause.Occur occur = op.getKey().equals("and") ? BooleanClause.Occur.FILTER : BooleanClause.Occur.SHOULD;
                if (arg.size() > IndexSearcher.getMaxClauseCount()) {
                    throw new InvalidRequestException(p + ": more than " + IndexSearcher.getMaxClauseCount() + " filters");
                }
                for (int i = 0; i < arg.size(); i++) {
                    b.add(node(arg.get(i), p + "[" + i + "]", depth + 1), occur);
                }
                if (occur == BooleanClause.Occur.SHOULD) {
                    b.setMinimumNumberShouldMatch(1);
                }
                yield b.build();
            }
            case "not" -> new BooleanQuery.Builder()
                    .add(MatchAllDocsQuery.INSTANCE, BooleanClause.Occur.FILTER)
                    .add(node(arg, p, depth + 1), BooleanClause.Occur.MUST_NOT)
                    .build();
            default -> throw new InvalidRequestException(path + ": unknown filter operator '" + op.getKey()
                    + "' (expected term, terms, range, and, or, not)");
        };
    }

    private static Map.Entry<String, JsonNode> single(JsonNode arg, String p) {
        if (arg == null || !arg.isObject() || arg.size() != 1) {
            throw new InvalidRequestException(p + ": expects an object with exactly one field name");
        }
        Map.Entry<String, JsonNode> e = arg.properties().iterator().next();
        if (e.getKey().isEmpty()) {
            throw new InvalidRequestException(p + ": field name is empty");
        }
        return e;
    }

    private static Query term(String field, JsonNode v, String p) {
        if (v.isString()) {
            return new TermQuery(new Term(keywordField(field), v.asString()));
        }
        if (v.isBoolean()) {
            return new TermQuery(new Term(keywordField(field), Boolean.toString(v.asBoolean())));
        }
        if (v.isNumber()) {
            return DoublePoint.newExactQuery(numericField(field, p), v.asDouble());
        }
        throw new InvalidRequestException(p + ": value must be a string, number or boolean");
    }

    private static Query terms(String field, JsonNode v, String p) {
        if (!v.isArray() || v.isEmpty()) {
            throw new InvalidRequestException(p + ": expects a non-empty array of values");
        }
        if (v.size() > MAX_TERMS) {
            throw new InvalidRequestException(p + ": more than " + MAX_TERMS + " values");
        }
        List<BytesRef> keywords = new ArrayList<>();
        List<Double> numbers = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode x = v.get(i);
            if (x.isString()) {
                keywords.add(new BytesRef(x.asString()));
            } else if (x.isBoolean()) {
                keywords.add(new BytesRef(Boolean.toString(x.asBoolean())));
            } else if (x.isNumber()) {
                numbers.add(x.asDouble());
            } else {
                throw new InvalidRequestException(p + "[" + i + "]: value must be a string, number or boolean");
            }
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        if (!keywords.isEmpty()) {
            b.add(new TermInSetQuery(keywordField(field), keywords), BooleanClause.Occur.SHOULD);
        }
        if (!numbers.isEmpty()) {
            b.add(DoublePoint.newSetQuery(numericField(field, p), numbers.stream().mapToDouble(Double::doubleValue).toArray()),
                    BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    private static Query range(String field, JsonNode bounds, String p) {
        if (!bounds.isObject() || bounds.isEmpty()) {
            throw new InvalidRequestException(p + ": expects an object with some of 'gte', 'gt', 'lte', 'lt'");
        }
        JsonNode lower = null;
        JsonNode upper = null;
        boolean lowerInclusive = true;
        boolean upperInclusive = true;
        for (Map.Entry<String, JsonNode> e : bounds.properties()) {
            switch (e.getKey()) {
                case "gte", "gt" -> {
                    if (lower != null) {
                        throw new InvalidRequestException(p + ": give only one of 'gte' and 'gt'");
                    }
                    lower = e.getValue();
                    lowerInclusive = e.getKey().equals("gte");
                }
                case "lte", "lt" -> {
                    if (upper != null) {
                        throw new InvalidRequestException(p + ": give only one of 'lte' and 'lt'");
                    }
                    upper = e.getValue();
                    upperInclusive = e.getKey().equals("lte");
                }
                default -> throw new InvalidRequestException(p + ": unknown bound '" + e.getKey() + "' (expected gte, gt, lte, lt)");
            }
        }
        boolean numeric = (lower == null || lower.isNumber()) && (upper == null || upper.isNumber());
        boolean strings = (lower == null || lower.isString()) && (upper == null || upper.isString());
        if (numeric) {
            double lo = Double.NEGATIVE_INFINITY;
            double hi = Double.POSITIVE_INFINITY;
            if (lower != null) {
                lo = lowerInclusive ? lower.asDouble() : Math.nextUp(lower.asDouble());
            }
            if (upper != null) {
                hi = upperInclusive ? upper.asDouble() : Math.nextDown(upper.asDouble());
            }
            return lo > hi ? new MatchNoDocsQuery("empty range") : DoublePoint.newRangeQuery(numericField(field, p), lo, hi);
        }
        if (strings) {
            return TermRangeQuery.newStringRange(keywordField(field),
                    lower == null ? null : lower.asString(), upper == null ? null : upper.asString(),
                    lowerInclusive, upperInclusive);
        }
        throw new InvalidRequestException(p + ": bounds must both be numbers or both be strings");
    }

    private static String keywordField(String field) {
        return field.equals(Fields.ID) ? Fields.ID : Fields.keyword(field);
    }

    private static String numericField(String field, String p) {
        if (field.equals(Fields.ID)) {
            throw new InvalidRequestException(p + ": 'id' is a string field; numeric values do not apply");
        }
        return Fields.numeric(field);
    }
}
