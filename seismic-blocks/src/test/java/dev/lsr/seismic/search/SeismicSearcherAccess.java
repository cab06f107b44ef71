package dev.lsr.seismic.search;

import dev.lsr.seismic.SparseVector;

/** Test access to the searcher's summary kernel with a scattered query. */
final class SeismicSearcherAccess {
    private SeismicSearcherAccess() {}

    static float summaryDot(SeismicSearcher s, int block, SparseVector q) {
        return s.summaryDotFor(q, block);
    }
}
