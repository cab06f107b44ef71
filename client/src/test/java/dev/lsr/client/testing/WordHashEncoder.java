package dev.lsr.client.testing;

import dev.lsr.client.SparseVector;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A deterministic bag-of-words encoder for vectors-only test collections: each lower-cased word
 * adds 1 to term {@code 1 + (hash mod (dim - 1))}; every vector also has term 0 with weight 0.01,
 * so that any query reaches every document (an exact search then lists them all). Used on both
 * documents and queries, it plays the part of a model that encoded documents elsewhere.
 */
public final class WordHashEncoder {

    private final int dim;

    public WordHashEncoder(int dim) {
        this.dim = dim;
    }

    public SparseVector encode(String text) {
        TreeMap<Integer, Float> terms = new TreeMap<>();
        terms.put(0, 0.01f);
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                terms.merge(1 + Math.floorMod(w.hashCode(), dim - 1), 1f, Float::sum);
            }
        }
        int[] ids = new int[terms.size()];
        float[] ws = new float[terms.size()];
        int i = 0;
        for (var e : terms.entrySet()) {
            ids[i] = e.getKey();
            ws[i++] = e.getValue();
        }
        return SparseVector.of(ids, ws);
    }
}
