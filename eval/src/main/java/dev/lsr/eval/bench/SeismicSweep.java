package dev.lsr.eval.bench;

import dev.lsr.eval.report.Latencies;
import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code query_cut} x {@code heap_factor} sweep of {@code bench seismic}: single thread, JIT already warm. */
public final class SeismicSweep {
    private final SeismicIndex index;
    private final SparseVector[] queries;
    private final int[][] truth;

    public SeismicSweep(SeismicIndex index, SparseVector[] queries, int[][] truth) {
        this.index = index;
        this.queries = queries;
        this.truth = truth;
    }

    /** Measures every (cut, factor) on top of {@code base} (k and knn), printing one line each to stderr. */
    public List<SweepPoint> run(SearchParams base, int[] cuts, float[] factors) throws Exception {
        List<SweepPoint> points = new ArrayList<>();
        SeismicSearcher s = index.newSearcher();
        int nq = queries.length;
        int k = base.k();
        int[] o = new int[k];
        float[] sc = new float[k];
        System.err.println();
        System.err.println("sweep (single thread, k=" + k + "): recall@10 vs latency");
        System.err.printf("%9s %11s %10s %9s %9s %9s %10s%n", "query_cut", "heap_factor", "recall@10", "p50_us", "p95_us",
                "p99_us", "docs/query");
        for (int cut : cuts) {
            for (float hf : factors) {
                SearchParams p = base.withQueryCut(cut).withHeapFactor(hf);
                int[][] got = new int[nq][];
                long d0 = s.docsScored();
                int[] runs = {0};
                // The JIT is warm by now (the main measurement ran first): a short warm-up per setting.
                Latencies lat = QueryTimer.latency(i -> {
                    int h = s.search(queries[i], p, null, o, sc);
                    got[i] = Arrays.copyOf(o, h);
                    runs[0]++;
                }, nq, Math.min(nq, 100), 0.25);
                SweepPoint pt = new SweepPoint(cut, hf, MethodStats.round(Recall.at(truth, got, 10)), lat.micros(),
                        (s.docsScored() - d0) / (double) runs[0]);
                System.err.printf("%9d %11.2f %10.4f %9.1f %9.1f %9.1f %10.0f%n", cut, hf, pt.recall(), pt.p50Us(),
                        pt.latencyUs().get("p95"), pt.latencyUs().get("p99"), pt.docsPerQuery());
                points.add(pt);
            }
        }
        return points;
    }
}
