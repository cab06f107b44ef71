package dev.lsr.seismic.search;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import java.util.function.IntPredicate;

/**
 * Exact top-k by scoring every document of the forward index: the ground truth for recall, and
 * the right tool for small or heavily filtered segments ({@link #searchAmong}). Not thread-safe;
 * one per thread, reusable and allocation-free per query.
 */
public final class ExactSearcher {
    private final ForwardIndex forward;
    private final float[] dense;
    private final TopKHeap heap = new TopKHeap();

    public ExactSearcher(ForwardIndex forward) {
        this.forward = forward;
        this.dense = new float[forward.dim()];
    }

    /** Same contract as {@link SeismicSearcher#search}; only {@code p.k()} matters. */
    public int search(SparseVector q, SearchParams p, IntPredicate acceptOrNull, int[] outOrds, float[] outScores) {
        heap.reset(p.k());
        scatter(q);
        try {
            int n = forward.size();
            for (int ord = 0; ord < n; ord++) {
                if (acceptOrNull == null || acceptOrNull.test(ord)) {
                    heap.offer(ord, forward.dot(ord, dense));
                }
            }
        } finally {
            clear(q);
        }
        return heap.drainSorted(outOrds, outScores);
    }

    /**
     * Exact top-k among {@code candidates[from, to)} (duplicates are the caller's business).
     * Returns the number of hits written, best first, ties by lower ordinal.
     */
    public int searchAmong(SparseVector q, int k, int[] candidates, int from, int to, IntPredicate acceptOrNull,
            int[] outOrds, float[] outScores) {
        heap.reset(k);
        scatter(q);
        try {
            for (int i = from; i < to; i++) {
                int ord = candidates[i];
                if (acceptOrNull == null || acceptOrNull.test(ord)) {
                    heap.offer(ord, forward.dot(ord, dense));
                }
            }
        } finally {
            clear(q);
        }
        return heap.drainSorted(outOrds, outScores);
    }

    /** The exact score of one document. */
    public float score(SparseVector q, int ord) {
        scatter(q);
        try {
            return forward.dot(ord, dense);
        } finally {
            clear(q);
        }
    }

    private void scatter(SparseVector q) {
        int dim = dense.length;
        for (int i = 0; i < q.size(); i++) {
            int t = q.index(i);
            if (t < dim) {
                dense[t] = q.value(i);
            }
        }
    }

    private void clear(SparseVector q) {
        int dim = dense.length;
        for (int i = 0; i < q.size(); i++) {
            int t = q.index(i);
            if (t < dim) {
                dense[t] = 0f;
            }
        }
    }
}
