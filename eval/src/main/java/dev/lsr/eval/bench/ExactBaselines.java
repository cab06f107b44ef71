package dev.lsr.eval.bench;

import dev.lsr.eval.report.Latencies;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.search.ExactSearcher;
import dev.lsr.seismic.search.InvertedExactSearcher;
import dev.lsr.seismic.search.InvertedLists;
import dev.lsr.seismic.search.SearchParams;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;

/**
 * The exact methods of {@code bench seismic}: the forward-index scan (the ground truth every
 * recall is measured against) and the inverted-list exact searchers (TAAT and MaxScore), of which
 * the faster is the report's {@code exact}.
 */
public final class ExactBaselines {
    private final ForwardIndex forward;
    private final SparseVector[] queries;
    private final int k;
    private final int threads;
    private final Timing timing;

    public ExactBaselines(ForwardIndex forward, SparseVector[] queries, int k, int threads, Timing timing) {
        this.forward = forward;
        this.queries = queries;
        this.k = k;
        this.threads = threads;
        this.timing = timing;
    }

    /** The ground truth and the forward scan's measurements. */
    public record Truth(int[][] topK, MethodStats forwardScan) {}

    /**
     * Exact top-max(k, 10) of every query by the forward scan, in parallel (which also gives the
     * scan's QPS with all cores); then the scan's single-thread latency on the first
     * {@code latencyQueries} queries.
     */
    public Truth groundTruth(int latencyQueries, double forwardSeconds, Bars bars) throws Exception {
        int nq = queries.length;
        int kTruth = Math.max(k, 10);
        int[][] truth = new int[nq][];
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ProgressBar bar = bars.open("exact ground truth", nq)) {
            IntStream.range(0, threads).parallel().forEach(t -> {
                ExactSearcher ex = new ExactSearcher(forward);
                int[] o = new int[kTruth];
                float[] s = new float[kTruth];
                int i;
                while ((i = next.getAndIncrement()) < nq) {
                    int h = ex.search(queries[i], SearchParams.defaults().withK(kTruth), null, o, s);
                    truth[i] = Arrays.copyOf(o, h);
                    bar.step();
                }
            });
        }
        double qps = nq / ((System.nanoTime() - t0) / 1e9);
        int timed = Math.min(nq, Math.max(1, latencyQueries));
        ExactSearcher single = new ExactSearcher(forward);
        SearchParams p = SearchParams.defaults().withK(k);
        int[] o = new int[k];
        float[] s = new float[k];
        Latencies lat = QueryTimer.latency(i -> single.search(queries[i], p, null, o, s), timed,
                timing.withWarmupQueries(Math.min(timed, 5)));
        MethodStats scan = new MethodStats(1.0, lat, qps, forwardSeconds, forward.bytes())
                .with("latency_queries", timed)
                .with("build_note", "build_s is reading/generating the documents into the forward index");
        return new Truth(truth, scan);
    }

    /** Builds the unpruned inverted lists once; both strategies share them. */
    public InvertedLists invert() {
        return InvertedLists.of(forward);
    }

    /**
     * One inverted-list strategy: recall against the truth (1.0 unless it is broken), latency over
     * every query after warm-up, QPS with all cores. {@code index_bytes} counts the lists and the
     * forward index it rescores candidates with.
     */
    public MethodStats inverted(InvertedLists lists, double listBuildSeconds, InvertedExactSearcher.Strategy strategy,
            int[][] truth) throws Exception {
        int nq = queries.length;
        SearchParams p = SearchParams.defaults().withK(k);
        InvertedExactSearcher s = new InvertedExactSearcher(lists, forward, strategy);
        int[][] got = new int[nq][];
        int[] o = new int[k];
        float[] sc = new float[k];
        long post0 = s.postingsScored();
        long docs0 = s.docsScored();
        int[] runs = {0};
        Latencies lat = QueryTimer.latency(i -> {
            int h = s.search(queries[i], p, null, o, sc);
            got[i] = Arrays.copyOf(o, h);
            runs[0]++;
        }, nq, timing.withWarmupQueries(Math.min(nq, timing.warmupQueries())));
        double postingsPerQuery = (s.postingsScored() - post0) / (double) runs[0];
        double docsPerQuery = (s.docsScored() - docs0) / (double) runs[0];
        double qps = QueryTimer.qps(() -> {
            InvertedExactSearcher t = new InvertedExactSearcher(lists, forward, strategy);
            int[] to = new int[k];
            float[] ts = new float[k];
            return i -> t.search(queries[i], p, null, to, ts);
        }, nq, threads, timing);
        return new MethodStats(Recall.at(truth, got, 10), lat, qps, listBuildSeconds, lists.bytes() + forward.bytes())
                .with("strategy", strategy.name().toLowerCase(java.util.Locale.ROOT))
                .with("lists_bytes", lists.bytes())
                .with("forward_bytes", forward.bytes())
                .with("postings_per_query", MethodStats.round(postingsPerQuery))
                .with("docs_scored_per_query", MethodStats.round(docsPerQuery))
                .with("build_note", "build_s is inverting the forward index; index_bytes counts lists and forward index");
    }
}
