package dev.lsr.engine;

import dev.lsr.seismic.SparseVector;
import java.util.List;

/** Rocchio pseudo-relevance feedback on sparse vectors (see {@link Prf}). */
final class Feedback {

    private Feedback() {}

    /**
     * {@code (1 - w) q + w |q|_1 e / |e|_1} (the expansion scaled to the query's mass, so scores stay on the query's scale), where {@code e} is the mean of {@code docs} cut to
     * its {@code terms} heaviest terms. An empty query or no usable document leaves {@code q} as it is.
     */
    static SparseVector expand(SparseVector q, List<SparseVector> docs, int terms, double weight, int dim) {
        float[] sum = new float[dim];
        int used = 0;
        for (SparseVector d : docs) {
            if (d == null || d.isEmpty()) {
                continue;
            }
            for (int i = 0; i < d.size(); i++) {
                sum[d.index(i)] += d.value(i);
            }
            used++;
        }
        double ql1 = q.l1();
        if (used == 0 || ql1 <= 0 || weight == 0) {
            return q;
        }
        SparseVector e = dense(sum).topK(terms);
        double el1 = e.l1();
        if (el1 <= 0) {
            return q;
        }
        float[] out = new float[dim];
        for (int i = 0; i < q.size(); i++) {
            out[q.index(i)] += (float) ((1 - weight) * q.value(i));
        }
        for (int i = 0; i < e.size(); i++) {
            out[e.index(i)] += (float) (weight * ql1 * e.value(i) / el1);
        }
        return dense(out);
    }

    private static SparseVector dense(float[] w) {
        int n = 0;
        for (float x : w) {
            if (x > 0) {
                n++;
            }
        }
        int[] ids = new int[n];
        float[] vs = new float[n];
        int j = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                ids[j] = i;
                vs[j++] = w[i];
            }
        }
        return SparseVector.of(ids, vs, w.length);
    }
}
