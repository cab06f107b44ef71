package dev.lsr.opensearch.mapper;

import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.opensearch.core.xcontent.XContentParser;

/**
 * Reads a sparse vector written as {@code {"indices": [ids], "values": [weights]}} or, over a
 * vocabulary, as {@code {"token": weight, ...}}. The two forms are told apart by their values
 * (arrays or numbers), not by their keys: BERT's vocabulary holds the tokens "indices" and
 * "values", so {@code {"values": 0.5}} is the token "values" with weight 0.5.
 */
public final class SparseVectorJson {

    private SparseVectorJson() {}

    /**
     * Parses the object the parser is positioned at (START_OBJECT); errors name {@code where}.
     *
     * @param vocabulary the field's vocabulary, or null (then only the indices/values form is accepted)
     */
    public static SparseVector parse(XContentParser parser, int dim, Vocabulary vocabulary, String where)
            throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException(where + ": expected an object {\"indices\": [...], \"values\": [...]}"
                    + (vocabulary == null ? "" : " or {\"token\": weight}") + ", got " + parser.currentToken());
        }
        List<Integer> ids = null;
        List<Float> weights = null;
        Map<String, Float> tokens = null;
        for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_OBJECT; t = parser.nextToken()) {
            String key = parser.currentName();
            XContentParser.Token value = parser.nextToken();
            if (value == XContentParser.Token.START_ARRAY && (key.equals("indices") || key.equals("values"))) {
                List<Number> list = new ArrayList<>();
                while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                    list.add(key.equals("indices") ? parser.intValue(false) : parser.floatValue(false));
                }
                if (key.equals("indices")) {
                    ids = list.stream().map(Number::intValue).toList();
                } else {
                    weights = list.stream().map(Number::floatValue).toList();
                }
            } else if (value == XContentParser.Token.VALUE_NUMBER || value == XContentParser.Token.VALUE_STRING) {
                if (vocabulary == null) {
                    throw new IllegalArgumentException(where + ": unexpected [" + key + "]: a vector is {\"indices\":"
                            + " [...], \"values\": [...]}; the {\"token\": weight} form needs a field mapped with a"
                            + " [vocabulary]");
                }
                if (tokens == null) {
                    tokens = new LinkedHashMap<>();
                }
                tokens.put(key, parser.floatValue(false));
            } else if (key.equals("indices") || key.equals("values")) {
                throw new IllegalArgumentException(where + ": [" + key + "] must be an array");
            } else if (vocabulary == null) {
                throw new IllegalArgumentException(where + ": unknown key [" + key + "]; a vector is {\"indices\": [...],"
                        + " \"values\": [...]}");
            } else {
                throw new IllegalArgumentException(where + ": [" + key + "] must be a number (the token's weight)");
            }
        }
        if (tokens != null) {
            if (ids != null || weights != null) {
                throw new IllegalArgumentException(where + ": mixes {\"token\": weight} entries with [indices]/[values];"
                        + " use one form");
            }
            return ofTokens(tokens, vocabulary, dim, where);
        }
        if (ids == null || weights == null) {
            throw new IllegalArgumentException(where + ": a vector needs both [indices] and [values]"
                    + (vocabulary == null ? "" : ", or {\"token\": weight} entries"));
        }
        return of(ids, weights, dim, where);
    }

    /** Token weights over {@code vocabulary} as a vector of {@code dim} terms; unknown tokens are refused by name. */
    public static SparseVector ofTokens(Map<String, Float> tokens, Vocabulary vocabulary, int dim, String where) {
        List<Integer> ids = new ArrayList<>(tokens.size());
        List<Float> weights = new ArrayList<>(tokens.size());
        for (Map.Entry<String, Float> e : tokens.entrySet()) {
            OptionalInt id = vocabulary.id(e.getKey());
            if (id.isEmpty()) {
                throw new IllegalArgumentException(where + ": token [" + e.getKey() + "] is not in the field's vocabulary");
            }
            ids.add(id.getAsInt());
            weights.add(e.getValue());
        }
        return of(ids, weights, dim, where);
    }

    static SparseVector of(List<Integer> ids, List<Float> weights, int dim, String where) {
        if (ids.size() != weights.size()) {
            throw new IllegalArgumentException(where + ": [indices] has " + ids.size() + " entries but [values] has "
                    + weights.size());
        }
        int[] i = new int[ids.size()];
        float[] w = new float[ids.size()];
        for (int n = 0; n < i.length; n++) {
            i[n] = ids.get(n);
            w[n] = weights.get(n);
        }
        try {
            return SparseVector.ofUnsorted(i, w, dim);
        } catch (InvalidVectorException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

}
