package dev.lsr.seismic.build;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/** Stage 5 (optional): each document's {@code kappa} nearest neighbours, for kNN refinement. */
final class KnnGraph {
    private KnnGraph() {}

    /** Found by searching the (graph-less) index with each document itself. */
    static MemorySegment build(SeismicIndex index, int kappa, int threads, BuildProgress progress) {
        ForwardIndex fwd = index.forward();
        int n = fwd.size();
        MemorySegment graph = Arena.ofAuto().allocate((long) n * kappa * 4, 8);
        SearchParams sp = SearchParams.defaults().withK(kappa + 1).withKnn(false);
        AtomicLong done = new AtomicLong();
        Workers.parallel(threads, n, 1024, (from, to) -> {
            SeismicSearcher searcher = index.newSearcher();
            int[] outOrds = new int[kappa + 1];
            float[] outScores = new float[kappa + 1];
            for (int d = from; d < to; d++) {
                SparseVector v = fwd.vector(d);
                int self = d;
                int hits = searcher.search(v, sp, o -> o != self, outOrds, outScores);
                for (int j = 0; j < kappa; j++) {
                    graph.set(Layouts.I32, ((long) d * kappa + j) * 4, j < hits ? outOrds[j] : -1);
                }
            }
            progress.update("knn", done.addAndGet(to - from), n);
        });
        return graph;
    }
}
