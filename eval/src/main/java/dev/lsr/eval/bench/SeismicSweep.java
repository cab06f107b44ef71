package dev.lsr.eval.bench;

import dev.lsr.eval.report.Latencies;
import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.diagnose.RecallLoss;
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
    private final Timing timing;

    /** Each setting warms up over 100 queries (or all, when fewer) and 0.25 s, or less time when {@code timing} asks less. */
    public SeismicSweep(SeismicIndex index, SparseVector[] queries, int[][] truth, Timing timing) {
        this.index = index;
        this.queries = queries;
        this.truth = truth;
        this.timing = timing.withWarmupQueries(Math.min(queries.length, 100)).withWarmupAtMost(250);
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
        System.err.printf("%9s %11s %10s %9s %9s %9s %10s  %s%n", "query_cut", "heap_factor", "recall@10", "p50_us", "p95_us",
                "p99_us", "docs/query", "lost in: skipped block (summary < doc) / beyond query_cut / pruned");
        RecallLoss loss = new RecallLoss(index);
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
                }, nq, timing);
                // Where the misses were lost (after timing: the analysis walks lists and allocates).
                RecallLoss.Counts lost = RecallLoss.Counts.zero();
                for (int i = 0; i < nq; i++) {
                    lost = lost.plus(loss.analyse(queries[i], cut, truth[i], Math.min(truth[i].length, 10), got[i], got[i].length));
                }
                SweepPoint pt = new SweepPoint(cut, hf, MethodStats.round(Recall.at(truth, got, 10)), lat.micros(),
                        (s.docsScored() - d0) / (double) runs[0], lost);
                System.err.printf("%9d %11.2f %10.4f %9.1f %9.1f %9.1f %10.0f  %d (%d) / %d / %d%n", cut, hf, pt.recall(), pt.p50Us(),
                        pt.latencyUs().get("p95"), pt.latencyUs().get("p99"), pt.docsPerQuery(), lost.skippedBlock(),
                        lost.summaryUnderDoc(), lost.beyondQueryCut(), lost.pruned());
                points.add(pt);
            }
        }
        return points;
    }
}
