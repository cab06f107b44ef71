package dev.lsr.opensearch.mapper;

import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.core.xcontent.XContentParser;

/**
 * Reads a sparse vector written as {@code {"indices": [ids], "values": [weights]}}. The
 * {@code {"token": weight}} form needs a vocabulary on the nodes, which this plugin does not load
 * yet; it is refused with a message saying so.
 */
public final class SparseVectorJson {

    private SparseVectorJson() {}

    /** Parses the object the parser is positioned at (START_OBJECT); errors name {@code where}. */
    public static SparseVector parse(XContentParser parser, int dim, String where) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException(where + ": expected an object {\"indices\": [...], \"values\": [...]}, got "
                    + parser.currentToken());
        }
        List<Integer> ids = null;
        List<Float> weights = null;
        for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_OBJECT; t = parser.nextToken()) {
            String key = parser.currentName();
            XContentParser.Token value = parser.nextToken();
            switch (key) {
                case "indices" -> {
                    ids = new ArrayList<>();
                    expectArray(value, where, key);
                    while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                        ids.add(parser.intValue(false));
                    }
                }
                case "values" -> {
                    weights = new ArrayList<>();
                    expectArray(value, where, key);
                    while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                        weights.add(parser.floatValue(false));
                    }
                }
                default -> throw new IllegalArgumentException(where + ": unknown key [" + key
                        + "]; a vector is {\"indices\": [...], \"values\": [...]} (the {\"token\": weight} form needs a"
                        + " vocabulary, which this plugin does not load yet)");
            }
        }
        if (ids == null || weights == null) {
            throw new IllegalArgumentException(where + ": a vector needs both [indices] and [values]");
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

    private static void expectArray(XContentParser.Token token, String where, String key) {
        if (token != XContentParser.Token.START_ARRAY) {
            throw new IllegalArgumentException(where + ": [" + key + "] must be an array");
        }
    }
}
