package dev.lsr.seismic.search;

/**
 * Per-query knobs of the approximate search.
 *
 * @param k          hits to return
 * @param queryCut   only the posting lists of the {@code queryCut} largest query weights are visited
 * @param heapFactor a block is skipped once the heap is full and its summary score is below
 *                   {@code heapFactor * (k-th best score)}; 0 visits every block
 * @param knn        expand the final candidates through the stored kNN graph (when the index has one)
 * @param rerank     on an index with document sketches: candidates are scored on their sketches
 *                   and this many of the best are rescored exactly from the forward index (0 =
 *                   {@link #AUTO_RERANK_MIN} or twice k, whichever is larger; {@link #NO_SKETCHES}
 *                   = every candidate scored exactly). With {@code heapFactor} 0 every candidate is
 *                   scored exactly whatever this says, so exhaustive search stays exact.
 */
public record SearchParams(int k, int queryCut, float heapFactor, boolean knn, int rerank) {

    /** The smallest automatic rerank depth: measured on realistic:1000000 (module README). */
    public static final int AUTO_RERANK_MIN = 100;
    /** {@code rerank} value that scores every candidate from the forward index. */
    public static final int NO_SKETCHES = Integer.MAX_VALUE;

    /** Automatic rerank depth. */
    public SearchParams(int k, int queryCut, float heapFactor, boolean knn) {
        this(k, queryCut, heapFactor, knn, 0);
    }

    public SearchParams {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        if (queryCut < 1) {
            throw new IllegalArgumentException("queryCut must be >= 1, was " + queryCut);
        }
        if (!(heapFactor >= 0f) || !Float.isFinite(heapFactor)) {
            throw new IllegalArgumentException("heapFactor must be finite and >= 0, was " + heapFactor);
        }
        if (rerank != 0 && rerank < k) {
            throw new IllegalArgumentException("rerank must be 0 (automatic) or >= k (" + k + "), was " + rerank);
        }
    }

    /** Candidates rescored exactly after sketch scoring. */
    public int rerankDepth() {
        return rerank == 0 ? Math.max(AUTO_RERANK_MIN, 2 * k) : rerank;
    }

    /** Whether candidates are scored on document sketches (when the index has them). */
    public boolean sketched() {
        return heapFactor > 0f && rerank != NO_SKETCHES;
    }

    /**
     * k 10, the 10 largest query terms, blocks skipped below 0.7 x the k-th score. Measured with
     * the default build (20% centroids, document sketches) on realistic:1000000 (module README):
     * 0.8 held 0.944 recall@10 on held-out queries, 0.7 holds 0.96 there, 0.98 on the real
     * SPLADE++ queries and 0.99 on synthetic ones, at about 15% more latency than 0.8.
     */
    public static SearchParams defaults() {
        return new SearchParams(10, 10, 0.7f, true);
    }

    /** Visits every list and every block: returns exactly the exact top-k of the kept postings. */
    public static SearchParams exhaustive(int k) {
        return new SearchParams(k, Integer.MAX_VALUE, 0f, false, NO_SKETCHES);
    }

    public SearchParams withK(int v) {
        return new SearchParams(v, queryCut, heapFactor, knn, rerank == 0 || rerank >= v ? rerank : v);
    }

    public SearchParams withQueryCut(int v) {
        return new SearchParams(k, v, heapFactor, knn, rerank);
    }

    public SearchParams withHeapFactor(float v) {
        return new SearchParams(k, queryCut, v, knn, rerank);
    }

    public SearchParams withKnn(boolean v) {
        return new SearchParams(k, queryCut, heapFactor, v, rerank);
    }

    public SearchParams withRerank(int v) {
        return new SearchParams(k, queryCut, heapFactor, knn, v);
    }
}
