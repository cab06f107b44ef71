package dev.lsr.eval.bench;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.search.InvertedExactSearcher;
import dev.lsr.seismic.search.InvertedLists;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every method of a {@code bench seismic} run on the same vectors, in one sitting: the forward-index
 * scan (the ground truth), Seismic and its heap_factor / query_cut sweep, exact search over inverted
 * lists (TAAT and MaxScore), Lucene FeatureField impacts, and reopening the saved index.
 */
public final class SeismicComparison {
    private final int k;
    private final int threads;
    private final Timing timing;
    private final int exactLatencyQueries;
    private final int[] sweepCuts;
    private final float[] sweepHeapFactors;
    private final boolean lucene;
    private final Path save;
    private final Bars bars;

    /**
     * @param sweepCuts query cuts of the sweep, null for no sweep
     * @param save where the Seismic and Lucene indexes are saved and reopened, or null
     */
    public SeismicComparison(int k, int threads, Timing timing, int exactLatencyQueries, int[] sweepCuts,
            float[] sweepHeapFactors, boolean lucene, Path save, Bars bars) {
        this.k = k;
        this.threads = threads;
        this.timing = timing;
        this.exactLatencyQueries = exactLatencyQueries;
        this.sweepCuts = sweepCuts == null ? null : sweepCuts.clone();
        this.sweepHeapFactors = sweepHeapFactors == null ? null : sweepHeapFactors.clone();
        this.lucene = lucene;
        this.save = save;
        this.bars = bars;
    }

    /** Measures every method; the report holds each method's stats and the sweep. */
    public SeismicBenchReport run(SeismicBenchData data, BenchIndex seismicIndex) throws Exception {
        ForwardIndex forward = data.forward();
        SparseVector[] qs = data.queries();
        ExactBaselines exacts = new ExactBaselines(forward, qs, k, threads, timing);
        ExactBaselines.Truth truth = exacts.groundTruth(exactLatencyQueries, data.forwardSeconds(), bars);
        SeismicMeasurement.Result seismic = new SeismicMeasurement(seismicIndex.index(), qs, threads)
                .measure(seismicIndex.search(), truth.topK(), timing, seismicIndex.buildSeconds());
        List<SweepPoint> sweep = sweepCuts == null ? List.of()
                : new SeismicSweep(seismicIndex.index(), qs, truth.topK(), timing).run(seismicIndex.search(), sweepCuts,
                        sweepHeapFactors);

        long ti = System.nanoTime();
        InvertedLists lists = exacts.invert();
        double invertSeconds = (System.nanoTime() - ti) / 1e9;
        MethodStats taat = exacts.inverted(lists, invertSeconds, InvertedExactSearcher.Strategy.TAAT, truth.topK());
        MethodStats maxScore = exacts.inverted(lists, invertSeconds, InvertedExactSearcher.Strategy.MAX_SCORE, truth.topK());
        lists = null; // the lists can be as large as the forward index: free them before Lucene builds
        MethodStats luceneStats = lucene ? LuceneMeasurement.measure(forward, qs, k, truth.topK(), timing, threads, save, bars) : null;
        Map<String, Object> open = save == null ? null
                : SavedIndexCheck.run(seismicIndex.index(), save, qs, seismicIndex.search(), seismic.hits());

        SeismicBenchReport report = new SeismicBenchReport()
                .method("seismic", seismic.stats())
                // The faster exact strategy of this run is "exact"; both are also reported by name.
                .method("exact", maxScore.p50Nanos() <= taat.p50Nanos() ? maxScore : taat);
        if (luceneStats != null) {
            report.method("lucene", luceneStats);
        }
        report.method("exact_maxscore", maxScore)
                .method("exact_taat", taat)
                .method("exact_forward_scan", truth.forwardScan())
                .sweep(sweep);
        if (open != null) {
            report.put("open", open);
        }
        return report;
    }
}
