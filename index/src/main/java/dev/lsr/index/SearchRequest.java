package dev.lsr.index;

import dev.lsr.seismic.SparseVector;

/**
 * A search. Start from {@link #sparse}, {@link #exact}, {@link #bm25} or {@link #hybrid} and
 * refine with the {@code with...} methods (each returns a new request).
 *
 * @param vector the query vector (required except for BM25)
 * @param text the query text (required for BM25 and hybrid)
 * @param k number of hits, 1..10,000
 * @param filter optional metadata filter
 * @param explain add per-term contributions to each hit
 * @param queryCut overrides the collection's default ({@code null}: default)
 * @param heapFactor overrides the collection's default ({@code null}: default)
 * @param fusion hybrid only: how to fuse
 * @param candidates hybrid only: how many hits to take from each list before fusing (>= k)
 * @param storedFields load each hit's title, text and metadata; false: hits carry id and score
 *     only (read from doc values, much cheaper for deep result lists such as evaluations)
 */
public record SearchRequest(SearchMode mode, SparseVector vector, String text, int k, Filter filter,
        boolean explain, Integer queryCut, Double heapFactor, Fusion fusion, int candidates, boolean storedFields) {

    public static final int MAX_K = 10_000;

    public SearchRequest {
        if (mode == null) {
            throw new InvalidRequestException("search 'mode' is required");
        }
        if (k < 1 || k > MAX_K) {
            throw new InvalidRequestException("search 'k' must be in [1, " + MAX_K + "], was " + k);
        }
        if (vector == null && mode != SearchMode.BM25) {
            throw new InvalidRequestException("search 'vector' is required for mode " + mode.label());
        }
        if ((text == null || text.isBlank()) && (mode == SearchMode.BM25 || mode == SearchMode.HYBRID)) {
            throw new InvalidRequestException("search 'text' is required for mode " + mode.label());
        }
        if (queryCut != null && queryCut < 1) {
            throw new InvalidRequestException("search 'queryCut' must be >= 1, was " + queryCut);
        }
        if (heapFactor != null && !(heapFactor >= 0 && heapFactor <= 1)) {
            throw new InvalidRequestException("search 'heapFactor' must be in [0, 1], was " + heapFactor);
        }
        fusion = fusion == null ? Fusion.rrf() : fusion;
        candidates = Math.min(MAX_K, Math.max(candidates, k));
    }

    public static SearchRequest sparse(SparseVector vector, int k) {
        return new SearchRequest(SearchMode.APPROXIMATE, vector, null, k, null, false, null, null, null, 100, true);
    }

    public static SearchRequest exact(SparseVector vector, int k) {
        return sparse(vector, k).withMode(SearchMode.EXACT);
    }

    public static SearchRequest bm25(String text, int k) {
        return new SearchRequest(SearchMode.BM25, null, text, k, null, false, null, null, null, 100, true);
    }

    public static SearchRequest hybrid(SparseVector vector, String text, int k) {
        return new SearchRequest(SearchMode.HYBRID, vector, text, k, null, false, null, null, null, 100, true);
    }

    public SearchRequest withMode(SearchMode m) {
        return new SearchRequest(m, vector, text, k, filter, explain, queryCut, heapFactor, fusion, candidates, storedFields);
    }

    public SearchRequest withK(int n) {
        return new SearchRequest(mode, vector, text, n, filter, explain, queryCut, heapFactor, fusion, candidates, storedFields);
    }

    public SearchRequest withVector(SparseVector v) {
        return new SearchRequest(mode, v, text, k, filter, explain, queryCut, heapFactor, fusion, candidates, storedFields);
    }

    public SearchRequest withText(String t) {
        return new SearchRequest(mode, vector, t, k, filter, explain, queryCut, heapFactor, fusion, candidates, storedFields);
    }

    public SearchRequest withFilter(Filter f) {
        return new SearchRequest(mode, vector, text, k, f, explain, queryCut, heapFactor, fusion, candidates, storedFields);
    }

    public SearchRequest withExplain(boolean e) {
        return new SearchRequest(mode, vector, text, k, filter, e, queryCut, heapFactor, fusion, candidates, storedFields);
    }

    public SearchRequest withQueryCut(Integer c) {
        return new SearchRequest(mode, vector, text, k, filter, explain, c, heapFactor, fusion, candidates, storedFields);
    }

    public SearchRequest withHeapFactor(Double h) {
        return new SearchRequest(mode, vector, text, k, filter, explain, queryCut, h, fusion, candidates, storedFields);
    }

    public SearchRequest withFusion(Fusion f) {
        return new SearchRequest(mode, vector, text, k, filter, explain, queryCut, heapFactor, f, candidates, storedFields);
    }

    public SearchRequest withCandidates(int c) {
        return new SearchRequest(mode, vector, text, k, filter, explain, queryCut, heapFactor, fusion, c, storedFields);
    }

    public SearchRequest withStoredFields(boolean f) {
        return new SearchRequest(mode, vector, text, k, filter, explain, queryCut, heapFactor, fusion, candidates, f);
    }
}
