package dev.lsr.eval.bench;

import dev.lsr.eval.report.Latencies;
import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import java.util.Arrays;

/** Seismic at one search setting: recall, single-thread latency after warm-up, QPS with all cores. */
public final class SeismicMeasurement {
    private final SeismicIndex index;
    private final SparseVector[] queries;
    private final int threads;

    public SeismicMeasurement(SeismicIndex index, SparseVector[] queries, int threads) {
        this.index = index;
        this.queries = queries;
        this.threads = threads;
    }

    /** The measurements and the hits of every query (for the saved-index check). */
    public record Result(MethodStats stats, int[][] hits) {}

    public Result measure(SearchParams sp, int[][] truth, Timing timing, double buildSeconds) throws Exception {
        SeismicSearcher searcher = index.newSearcher();
        int nq = queries.length;
        int k = sp.k();
        int[][] got = new int[nq][];
        int[] so = new int[k];
        float[] ss = new float[k];
        long docs0 = searcher.docsScored();
        long blocks0 = searcher.blocksScored();
        long rescored0 = searcher.docsRescored();
        int[] runs = {0};
        Latencies lat = QueryTimer.latency(i -> {
            int h = searcher.search(queries[i], sp, null, so, ss);
            got[i] = Arrays.copyOf(so, h);
            runs[0]++;
        }, nq, timing);
        double docsPerQuery = (searcher.docsScored() - docs0) / (double) runs[0];
        double blocksPerQuery = (searcher.blocksScored() - blocks0) / (double) runs[0];
        double rescoredPerQuery = (searcher.docsRescored() - rescored0) / (double) runs[0];
        double qps = QueryTimer.qps(() -> {
            SeismicSearcher s = index.newSearcher();
            int[] o = new int[k];
            float[] sc = new float[k];
            return i -> s.search(queries[i], sp, null, o, sc);
        }, nq, threads, timing);
        long forwardBytes = index.forward().bytes();
        MethodStats stats = new MethodStats(Recall.at(truth, got, 10), lat, qps, buildSeconds, index.bytes())
                .with("forward_bytes", forwardBytes)
                .with("index_to_forward_ratio", MethodStats.round(index.bytes() / (double) forwardBytes))
                .with("blocks", index.blockCount())
                .with("postings", index.postingCount())
                .with("summary_entries", index.summaryEntryCount())
                .with("docs_scored_per_query", MethodStats.round(docsPerQuery))
                .with("docs_rescored_per_query", MethodStats.round(rescoredPerQuery))
                .with("sketch_bytes", index.sketches().bytes())
                .with("blocks_scored_per_query", MethodStats.round(blocksPerQuery));
        return new Result(stats, got);
    }
}
