package dev.lsr.api.service;

import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * The two JSON forms of a sparse vector: {@code {"indices": [term ids], "values": [weights]}}, or
 * {@code {"token": weight, ...}} over a model's vocabulary. Errors name the field ({@code where}).
 */
public final class VectorJson {

    private VectorJson() {}

    /**
     * @param where how the error message names this vector (e.g. {@code "document 'a1': vector"})
     * @param vocabulary the collection model's vocabulary, or null when it has none (then only the
     *     indices/values form is accepted)
     * @throws InvalidVectorException naming {@code where} and the bad entry
     */
    public static SparseVector parse(JsonNode node, String where, Vocabulary vocabulary, int dim) {
        if (node == null || !node.isObject()) {
            throw new InvalidVectorException(where + " must be an object, {\"indices\": [...], \"values\": [...]} or {\"token\": weight}");
        }
        if (node.has("indices") || node.has("values")) {
            return parseArrays(node, where, dim);
        }
        if (vocabulary == null) {
            throw new InvalidVectorException(where + ": this collection has no model, so a vector must be {\"indices\": [...], \"values\": [...]}");
        }
        int n = node.size();
        int[] ids = new int[n];
        float[] weights = new float[n];
        int i = 0;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            OptionalInt id = vocabulary.id(e.getKey());
            if (id.isEmpty()) {
                throw new InvalidVectorException(where + ": token '" + e.getKey() + "' is not in the model's vocabulary");
            }
            ids[i] = id.getAsInt();
            weights[i] = weight(e.getValue(), where + "['" + e.getKey() + "']");
            i++;
        }
        return build(ids, weights, dim, where);
    }

    private static SparseVector parseArrays(JsonNode node, String where, int dim) {
        for (String key : node.propertyNames()) {
            if (!key.equals("indices") && !key.equals("values")) {
                throw new InvalidVectorException(where + ": unexpected member '" + key + "' (a vector has only 'indices' and 'values')");
            }
        }
        JsonNode ix = node.get("indices");
        JsonNode vx = node.get("values");
        if (ix == null || !ix.isArray() || vx == null || !vx.isArray()) {
            throw new InvalidVectorException(where + ": 'indices' and 'values' must both be arrays");
        }
        if (ix.size() != vx.size()) {
            throw new InvalidVectorException(where + ": 'indices' has " + ix.size() + " entries but 'values' has " + vx.size());
        }
        int n = ix.size();
        int[] ids = new int[n];
        float[] weights = new float[n];
        for (int i = 0; i < n; i++) {
            JsonNode id = ix.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw new InvalidVectorException(where + ".indices[" + i + "]: expected an integer term id, got " + id);
            }
            ids[i] = id.intValue();
            weights[i] = weight(vx.get(i), where + ".values[" + i + "]");
        }
        return build(ids, weights, dim, where);
    }

    private static float weight(JsonNode v, String where) {
        if (!v.isNumber()) {
            throw new InvalidVectorException(where + ": expected a number, got " + v);
        }
        // 1e400 parses as an infinite double and 1e39 overflows a float: refused here, not as a 500.
        double d = v.doubleValue();
        if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
            throw new InvalidVectorException(where + ": " + v + " is not a finite 32-bit float");
        }
        return (float) d;
    }

    private static SparseVector build(int[] ids, float[] weights, int dim, String where) {
        try {
            return SparseVector.ofUnsorted(ids, weights, dim);
        } catch (IllegalArgumentException e) {
            throw new InvalidVectorException(where + ": " + e.getMessage());
        }
    }

    /** {@code {"token": weight}} in descending weight order when there is a vocabulary, else the arrays form. */
    public static Object write(SparseVector v, Vocabulary vocabulary) {
        if (vocabulary == null) {
            return Map.of("indices", v.indices(), "values", v.values());
        }
        Integer[] order = new Integer[v.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(v.value(b), v.value(a)));
        Map<String, Float> out = new LinkedHashMap<>();
        for (int i : order) {
            out.put(vocabulary.token(v.index(i)), v.value(i));
        }
        return out;
    }
}
