package dev.lsr.index.search;

/**
 * Per-search knobs of {@link SparseQuery}.
 *
 * @param exact score every candidate exactly instead of using Seismic
 * @param queryCut Seismic: number of highest-weight query terms whose lists are visited
 * @param heapFactor Seismic: skip a block whose summary score is below heapFactor x k-th best (0 = visit all)
 * @param knn Seismic: expand candidates through the segment's kNN graph, when it has one
 * @param filterExactMaxDocs score a segment's passing documents exactly when at most this many pass
 * @param filterExactFraction ... or at most this fraction of its live documents
 * @param segmentTuned Seismic: a segment built for a recall target is searched with the setting
 *     measured for it at build time instead of {@code queryCut} / {@code heapFactor}
 */
public record SparseSearchOptions(boolean exact, int queryCut, double heapFactor, boolean knn, int filterExactMaxDocs,
        double filterExactFraction, boolean segmentTuned) {

    /** {@code queryCut} and {@code heapFactor} for every segment. */
    public SparseSearchOptions(boolean exact, int queryCut, double heapFactor, boolean knn, int filterExactMaxDocs,
            double filterExactFraction) {
        this(exact, queryCut, heapFactor, knn, filterExactMaxDocs, filterExactFraction, false);
    }
}
