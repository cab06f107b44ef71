package dev.lsr.langchain4j;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * LangChain4j metadata filters as lsr filters. {@code IsEqualTo} is {@code term}, {@code IsIn}
 * {@code terms}, the four comparisons {@code range}, {@code IsNotEqualTo} / {@code IsNotIn}
 * {@code not} of those (so, as in LangChain4j, a document without the key matches them), and
 * {@code And}, {@code Or}, {@code Not} the same. UUIDs are compared as their strings (they are
 * stored as strings). {@code ContainsString} and any other kind are refused with
 * {@link UnsupportedFilterException} naming the kind.
 */
public final class LsrFilters {

    static final String SUPPORTED = "IsEqualTo, IsNotEqualTo, IsGreaterThan, IsGreaterThanOrEqualTo, IsLessThan, "
            + "IsLessThanOrEqualTo, IsIn, IsNotIn, And, Or, Not";

    private LsrFilters() {}

    /** The lsr filter for {@code filter}; null for null. */
    public static dev.lsr.client.Filter toLsr(Filter filter) {
        if (filter == null) {
            return null;
        }
        return switch (filter) {
            case IsEqualTo f -> dev.lsr.client.Filter.term(f.key(), value(f.comparisonValue()));
            case IsNotEqualTo f -> dev.lsr.client.Filter.not(dev.lsr.client.Filter.term(f.key(), value(f.comparisonValue())));
            case IsGreaterThan f -> dev.lsr.client.Filter.range(f.key()).gt(value(f.comparisonValue())).build();
            case IsGreaterThanOrEqualTo f -> dev.lsr.client.Filter.range(f.key()).gte(value(f.comparisonValue())).build();
            case IsLessThan f -> dev.lsr.client.Filter.range(f.key()).lt(value(f.comparisonValue())).build();
            case IsLessThanOrEqualTo f -> dev.lsr.client.Filter.range(f.key()).lte(value(f.comparisonValue())).build();
            case IsIn f -> dev.lsr.client.Filter.terms(f.key(), values(f.comparisonValues()));
            case IsNotIn f -> dev.lsr.client.Filter.not(dev.lsr.client.Filter.terms(f.key(), values(f.comparisonValues())));
            case And f -> dev.lsr.client.Filter.and(toLsr(f.left()), toLsr(f.right()));
            case Or f -> dev.lsr.client.Filter.or(toLsr(f.left()), toLsr(f.right()));
            case Not f -> dev.lsr.client.Filter.not(toLsr(f.expression()));
            case ContainsString f -> throw new UnsupportedFilterException("LangChain4j filter ContainsString (key '" + f.key()
                    + "') has no lsr equivalent: lsr matches whole metadata values; supported: " + SUPPORTED);
            default -> throw new UnsupportedFilterException("LangChain4j filter " + filter.getClass().getSimpleName()
                    + " has no lsr equivalent; supported: " + SUPPORTED);
        };
    }

    private static Object value(Object v) {
        return v instanceof UUID u ? u.toString() : v;
    }

    private static List<Object> values(Collection<?> vs) {
        List<Object> out = new ArrayList<>(vs.size());
        for (Object v : vs) {
            out.add(value(v));
        }
        // IsIn keeps a HashSet: sort so that the same filter always sends the same request.
        out.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
        return out;
    }
}
