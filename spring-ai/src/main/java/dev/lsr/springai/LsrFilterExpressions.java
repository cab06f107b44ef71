package dev.lsr.springai;

import dev.lsr.client.Filter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.vectorstore.filter.Filter.Expression;
import org.springframework.ai.vectorstore.filter.Filter.ExpressionType;
import org.springframework.ai.vectorstore.filter.Filter.Group;
import org.springframework.ai.vectorstore.filter.Filter.Key;
import org.springframework.ai.vectorstore.filter.Filter.Operand;
import org.springframework.ai.vectorstore.filter.Filter.Value;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;

/**
 * Spring AI filter expressions ({@code "lang == 'en' && year >= 2020"}, or built with
 * {@code FilterExpressionBuilder}) as lsr filters: {@code ==} is {@code term}, {@code IN}
 * {@code terms}, the comparisons {@code range}, {@code !=} / {@code NIN} {@code not} of those,
 * {@code AND}, {@code OR}, {@code NOT} and groups the same. {@code IS NULL} / {@code IS NOT NULL}
 * are refused with an {@link IllegalArgumentException} naming them.
 */
public final class LsrFilterExpressions {

    static final String SUPPORTED = "==, !=, >, >=, <, <=, IN, NIN, AND, OR, NOT";

    private LsrFilterExpressions() {}

    /** Parses Spring AI's filter expression language, then maps it. */
    public static Filter parse(String expression) {
        return toLsr(new FilterExpressionTextParser().parse(expression));
    }

    /** The lsr filter for {@code e}; null for null. */
    public static Filter toLsr(Expression e) {
        if (e == null) {
            return null;
        }
        ExpressionType type = e.type();
        return switch (type) {
            case AND -> Filter.and(operand(e.left()), operand(e.right()));
            case OR -> Filter.or(operand(e.left()), operand(e.right()));
            case NOT -> Filter.not(operand(e.left()));
            case EQ -> Filter.term(key(e), value(e));
            case NE -> Filter.not(Filter.term(key(e), value(e)));
            case GT -> Filter.range(key(e)).gt(value(e)).build();
            case GTE -> Filter.range(key(e)).gte(value(e)).build();
            case LT -> Filter.range(key(e)).lt(value(e)).build();
            case LTE -> Filter.range(key(e)).lte(value(e)).build();
            case IN -> Filter.terms(key(e), values(e));
            case NIN -> Filter.not(Filter.terms(key(e), values(e)));
            case ISNULL, ISNOTNULL -> throw new IllegalArgumentException("Spring AI filter " + type + " on '" + key(e)
                    + "' has no lsr equivalent (lsr filters match values, not absent keys); supported: " + SUPPORTED);
        };
    }

    private static Filter operand(Operand o) {
        return switch (o) {
            case Expression e -> toLsr(e);
            case Group g -> toLsr(g.content());
            default -> throw new IllegalArgumentException("Spring AI filter operand " + o + " is not an expression");
        };
    }

    private static String key(Expression e) {
        if (e.left() instanceof Key k) {
            // The text parser keeps quotes of quoted keys ("'my key' == 1").
            String s = k.key();
            return s.length() > 1 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))
                    ? s.substring(1, s.length() - 1) : s;
        }
        throw new IllegalArgumentException("Spring AI filter " + e.type() + ": the left side must be a metadata key, was " + e.left());
    }

    private static Object value(Expression e) {
        if (e.right() instanceof Value v && !(v.value() instanceof List<?>)) {
            return v.value();
        }
        throw new IllegalArgumentException("Spring AI filter " + e.type() + " on '" + key(e) + "' needs one value, was " + e.right());
    }

    private static List<Object> values(Expression e) {
        if (e.right() instanceof Value v && v.value() instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        throw new IllegalArgumentException("Spring AI filter " + e.type() + " on '" + key(e) + "' needs a list of values, was " + e.right());
    }
}
