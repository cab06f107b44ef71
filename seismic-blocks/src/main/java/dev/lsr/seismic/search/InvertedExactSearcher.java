package dev.lsr.seismic.search;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import java.util.function.IntPredicate;

/**
 * Exact top-k over unpruned {@link InvertedLists}: the efficient exact baseline, returning the same
 * hits and scores as {@link ExactSearcher} (the forward-index scan) at a fraction of its cost.
 *
 * <p>Term-at-a-time into a dense float accumulator (one slot per document, touched documents
 * listed so that clearing is sparse). {@link Strategy#TAAT} accumulates every query list;
 * {@link Strategy#MAX_SCORE} orders the lists by their bound {@code q_t * max weight}, and stops
 * as soon as the bounds of the lists not yet read sum to less than a proven lower bound of the
 * k-th score (the exact scores of the k best partial sums): a document in none of the read lists
 * cannot reach the top-k. Either way the final candidates (partial sum plus the unread bound, not
 * below the k-th score found so far) are scored exactly with {@link ForwardIndex#dot}, so scores
 * and the tie rule (lower ordinal first) are those of the ground truth, bit for bit.
 *
 * <p>Not thread-safe: one per thread. Scratch is sized by the collection, so a warm searcher
 * allocates nothing per query.
 */
public final class InvertedExactSearcher {
    /** How many query lists are accumulated. */
    public enum Strategy { TAAT, MAX_SCORE }

    /**
     * Relative slack covering float rounding between the two summation orders: a float sum of n
     * positive products is within n * 2^-24 of the real sum, and only matched terms add non-zero.
     */
    private static final double SLACK = 1e-4;

    private static final double CHECK_RATIO = 2.0 / 3;

    private final InvertedLists lists;
    private final ForwardIndex forward;
    private final Strategy strategy;
    /** {@link #inTermOrder}: lists in term-id order, sums are the exact scores, no forward index. */
    private final boolean sumsInTermOrder;
    private final float[] dense;
    private final float[] acc;
    private final int[] touched;
    private int[] termOrder = new int[64];
    private double[] termBound = new double[64];
    private double[] remaining = new double[65];
    /** remainingPostings[j]: postings of the lists from the j-th on. */
    private long[] remainingPostings = new long[65];
    private final double docLength;
    private final TopKHeap heap = new TopKHeap();
    private final TopKHeap probe = new TopKHeap();
    private long postingsScored;
    private long docsScored;

    public InvertedExactSearcher(InvertedLists lists, ForwardIndex forward, Strategy strategy) {
        if (lists.size() != forward.size() || lists.dim() != forward.dim()) {
            throw new IllegalArgumentException("inverted lists (" + lists.size() + " docs, dim " + lists.dim()
                    + ") do not belong to the forward index (" + forward.size() + " docs, dim " + forward.dim() + ")");
        }
        this.lists = lists;
        this.forward = forward;
        this.strategy = strategy;
        this.sumsInTermOrder = false;
        this.dense = new float[forward.dim()];
        this.acc = new float[forward.size()];
        // One spare slot: the branch-free append writes before it decides to keep.
        this.touched = new int[forward.size() + 1];
        this.docLength = forward.size() == 0 ? 0 : forward.nnz() / (double) forward.size();
    }

    private InvertedExactSearcher(InvertedLists lists) {
        this.lists = lists;
        this.forward = null;
        this.strategy = Strategy.TAAT;
        this.sumsInTermOrder = true;
        this.dense = new float[0];
        this.acc = new float[lists.size()];
        this.touched = new int[lists.size() + 1];
        this.docLength = lists.size() == 0 ? 0 : lists.postings() / (double) lists.size();
    }

    /**
     * Exact search without a forward index: every query list is accumulated in term-id order, so a
     * document's sum adds the same float products in the same order as
     * {@link SparseVector#dot(float[])} over the vector the lists were built from, and is that dot
     * product bit for bit; no document is rescored. Meant for lists built with exact weights
     * ({@link InvertedLists#builder}); over a forward index's lists the sums are those of its
     * decoded weights added in term order, not {@link ForwardIndex#dot}'s. {@link #search} then
     * returns the k best documents sharing a term with the query (never score-0 fillers), ties by
     * lower ordinal. Cost: the postings of the query's lists, plus one heap test per matched document.
     */
    public static InvertedExactSearcher inTermOrder(InvertedLists lists) {
        return new InvertedExactSearcher(lists);
    }

    /** Same contract as {@link ExactSearcher#search}; only {@code p.k()} matters. */
    public int search(SparseVector q, SearchParams p, IntPredicate acceptOrNull, int[] outOrds, float[] outScores) {
        int k = p.k();
        if (sumsInTermOrder) {
            return searchInTermOrder(q, k, acceptOrNull, outOrds, outScores);
        }
        heap.reset(k);
        int m = orderTerms(q);
        int nt = 0;
        try {
            double theta = Double.NEGATIVE_INFINITY;
            double lastCheck = remaining[0];
            int j = 0;
            for (; j < m; j++) {
                // Re-check each time the unread bound has fallen by a third: O(log) checks per query.
                if (strategy == Strategy.MAX_SCORE && j > 0 && remaining[j] <= CHECK_RATIO * lastCheck) {
                    lastCheck = remaining[j];
                    theta = estimateKth(k, nt, acceptOrNull);
                    if (theta > remaining[j] * (1 + SLACK) && cheaperToStop(j, nt, theta)) {
                        break;
                    }
                }
                nt = accumulate(termOrder[j], q, nt);
            }
            if (j == m) {
                // Every list read: one more estimate gives a tight floor, so that only the
                // documents near the k-th score are scored exactly.
                theta = Math.max(theta, estimateKth(k, nt, acceptOrNull));
            }
            float rest = (float) (remaining[j] * (1 + SLACK));
            float floor = (float) Math.max(theta, 0);
            int[] td = touched;
            float[] a = acc;
            for (int i = 0; i < nt; i++) {
                int d = td[i];
                float ub = (float) ((a[d] + rest) * (1 + SLACK));
                if (ub < floor || (heap.full() && ub < heap.kth())) {
                    continue;
                }
                if (acceptOrNull == null || acceptOrNull.test(d)) {
                    heap.offer(d, forward.dot(d, dense));
                    docsScored++;
                }
            }
            if (!heap.full()) {
                // Fewer than k matching documents (then every list was read): the forward scan
                // would fill up with score-0 documents, lowest ordinals first.
                int n = a.length;
                for (int d = 0; d < n && !heap.full(); d++) {
                    if (a[d] == 0f && (acceptOrNull == null || acceptOrNull.test(d))) {
                        heap.offer(d, 0f);
                    }
                }
            }
        } finally {
            for (int i = 0; i < nt; i++) {
                acc[touched[i]] = 0f;
            }
            for (int i = 0; i < q.size(); i++) {
                int t = q.index(i);
                if (t < dense.length) {
                    dense[t] = 0f;
                }
            }
        }
        return heap.drainSorted(outOrds, outScores);
    }

    /** {@link #inTermOrder}'s search: the sums are the scores (see there). */
    private int searchInTermOrder(SparseVector q, int k, IntPredicate acceptOrNull, int[] outOrds, float[] outScores) {
        heap.reset(k);
        int nt = 0;
        try {
            int dim = lists.dim();
            // q's ids ascend, so the lists are read in term-id order.
            for (int i = 0; i < q.size(); i++) {
                if (q.index(i) < dim) {
                    nt = accumulate(i, q, nt);
                }
            }
            int[] td = touched;
            float[] a = acc;
            for (int i = 0; i < nt; i++) {
                int d = td[i];
                float s = a[d];
                // -1 marks a document already offered: a product that underflows to 0 leaves its
                // sum at 0, so the same document can be listed twice as a first touch.
                if (s < 0f || (heap.full() && s < heap.kth())) {
                    continue;
                }
                a[d] = -1f;
                if (acceptOrNull == null || acceptOrNull.test(d)) {
                    heap.offer(d, s);
                    docsScored++;
                }
            }
        } finally {
            for (int i = 0; i < nt; i++) {
                acc[touched[i]] = 0f;
            }
        }
        return heap.drainSorted(outOrds, outScores);
    }

    /** Postings accumulated and documents scored exactly, summed over this searcher's queries. */
    public long postingsScored() {
        return postingsScored;
    }

    public long docsScored() {
        return docsScored;
    }

    /**
     * Scatters q into dense and orders its positions with a non-empty list by bound, largest
     * first (ties: lower position), into termOrder; fills remaining[j] = sum of bounds from j on.
     * Returns how many lists.
     */
    private int orderTerms(SparseVector q) {
        int n = q.size();
        if (termOrder.length < n) {
            int cap = Math.max(n, termOrder.length * 2);
            termOrder = new int[cap];
            termBound = new double[cap];
            remaining = new double[cap + 1];
            remainingPostings = new long[cap + 1];
        }
        int dim = dense.length;
        int m = 0;
        for (int i = 0; i < n; i++) {
            int t = q.index(i);
            if (t >= dim) {
                continue;
            }
            dense[t] = q.value(i);
            if (lists.end(t) == lists.start(t)) {
                continue;
            }
            double b = (double) q.value(i) * lists.maxWeight(t);
            int j = m - 1;
            while (j >= 0 && termBound[j] < b) {
                termOrder[j + 1] = termOrder[j];
                termBound[j + 1] = termBound[j];
                j--;
            }
            termOrder[j + 1] = i;
            termBound[j + 1] = b;
            m++;
        }
        remaining[m] = 0;
        remainingPostings[m] = 0;
        for (int j = m - 1; j >= 0; j--) {
            remaining[j] = remaining[j + 1] + termBound[j];
            int t = q.index(termOrder[j]);
            remainingPostings[j] = remainingPostings[j + 1] + lists.end(t) - lists.start(t);
        }
        return m;
    }

    private int accumulate(int pos, SparseVector q, int nt) {
        int t = q.index(pos);
        float w = q.value(pos);
        int s = lists.start(t);
        int e = lists.end(t);
        int[] ds = lists.docs();
        float[] ws = lists.weights();
        float[] a = acc;
        int[] td = touched;
        for (int i = s; i < e; i++) {
            int d = ds[i];
            float old = a[d];
            // Branch-free append of first touches: whether a document was seen is unpredictable.
            td[nt] = d;
            nt += old == 0f ? 1 : 0;
            a[d] = old + w * ws[i];
        }
        postingsScored += e - s;
        return nt;
    }

    /**
     * Stopping is safe once theta beats the unread bound, but then every touched document whose
     * partial sum plus that bound reaches theta must be scored from the forward index (about one
     * document length each). Stop only when that costs less than reading the remaining lists.
     */
    private boolean cheaperToStop(int j, int nt, double theta) {
        float cut = (float) (theta / (1 + SLACK) - remaining[j] * (1 + SLACK));
        long budget = (long) (remainingPostings[j] / Math.max(1.0, docLength));
        int[] td = touched;
        float[] a = acc;
        long candidates = 0;
        for (int i = 0; i < nt; i++) {
            if (a[td[i]] >= cut && ++candidates > budget) {
                return false;
            }
        }
        return true;
    }

    /**
     * A lower bound of the final k-th score: the smallest exact score among the k accepted
     * documents with the best partial sums, or -infinity when fewer than k are touched.
     */
    private double estimateKth(int k, int nt, IntPredicate accept) {
        probe.reset(k);
        int[] td = touched;
        float[] a = acc;
        for (int i = 0; i < nt; i++) {
            int d = td[i];
            float s = a[d];
            if (probe.full() && s <= probe.kth()) {
                continue;
            }
            if (accept == null || accept.test(d)) {
                probe.offer(d, s);
            }
        }
        if (!probe.full()) {
            return Double.NEGATIVE_INFINITY;
        }
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            min = Math.min(min, forward.dot(probe.ordAt(i), dense));
        }
        docsScored += k;
        return min;
    }
}
