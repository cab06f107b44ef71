package dev.lsr.client;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A sparse vector in one of the two forms the REST API speaks: term ids with weights
 * ({@code {"indices": [...], "values": [...]}}), or tokens of the collection model's vocabulary with
 * weights ({@code {"token": weight}}). The server validates it against the collection (dimension,
 * vocabulary); this class only keeps the two forms apart.
 */
public final class SparseVector {

    private final int[] indices;
    private final float[] values;
    private final Map<String, Float> tokens;

    private SparseVector(int[] indices, float[] values, Map<String, Float> tokens) {
        this.indices = indices;
        this.values = values;
        this.tokens = tokens;
    }

    /** Term ids and their weights, in any order (the server sorts them). */
    public static SparseVector of(int[] indices, float[] values) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (indices.length != values.length) {
            throw new IllegalArgumentException("indices has " + indices.length + " entries but values has " + values.length);
        }
        return new SparseVector(indices.clone(), values.clone(), null);
    }

    /** Tokens of the collection model's vocabulary and their weights; iteration order is kept. */
    public static SparseVector ofTokens(Map<String, ? extends Number> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        Map<String, Float> copy = new LinkedHashMap<>();
        tokens.forEach((t, w) -> copy.put(Objects.requireNonNull(t, "token"), Objects.requireNonNull(w, "weight of " + t).floatValue()));
        return new SparseVector(null, null, Collections.unmodifiableMap(copy));
    }

    /** True for the token form ({@link #tokens()}), false for the term-id form ({@link #indices()}, {@link #values()}). */
    public boolean hasTokens() {
        return tokens != null;
    }

    /** Term ids (a copy); empty for the token form. */
    public int[] indices() {
        return indices == null ? new int[0] : indices.clone();
    }

    /** Weights parallel to {@link #indices()} (a copy); empty for the token form. */
    public float[] values() {
        return values == null ? new float[0] : values.clone();
    }

    /** Token weights in the server's order (heaviest first in responses); empty for the term-id form. */
    public Map<String, Float> tokens() {
        return tokens == null ? Map.of() : tokens;
    }

    /** Number of non-zero entries. */
    public int size() {
        return tokens != null ? tokens.size() : indices.length;
    }

    /** The JSON value the API expects: a map with indices/values, or the token map itself. */
    Object toJson() {
        if (tokens != null) {
            return tokens;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("indices", indices);
        m.put("values", values);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseVector v && Arrays.equals(indices, v.indices) && Arrays.equals(values, v.values)
                && Objects.equals(tokens, v.tokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(indices), Arrays.hashCode(values), tokens);
    }

    @Override
    public String toString() {
        return tokens != null ? tokens.toString() : "{indices=" + Arrays.toString(indices) + ", values=" + Arrays.toString(values) + "}";
    }
}
