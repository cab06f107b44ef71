package dev.lsr.eval.bench;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.tune.RecallTuner;
import dev.lsr.seismic.tune.TuneOptions;
import dev.lsr.seismic.tune.TunePoint;
import dev.lsr.seismic.tune.TunedIndex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * {@code bench seismic --recall-target R}: build and search parameters picked by
 * {@link RecallTuner} on pseudo-queries drawn from the documents or on {@code --tuning-queries},
 * never on the measured queries (this class has no access to them).
 */
public final class SeismicTuning {
    private SeismicTuning() {}

    /**
     * Tunes on {@code tuningQueries} when given (never the measured ones, see
     * {@link TuningQueries}), else on pseudo-queries drawn from the documents.
     */
    public static TunedIndex tune(ForwardIndex forward, double recallTarget, int k, int threads,
            List<SparseVector> tuningQueries, Bars bars) {
        TuneOptions options;
        try {
            options = TuneOptions.forTarget(recallTarget).withK(k).withThreads(threads).withTuningQueries(tuningQueries);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--recall-target: " + e.getMessage());
        }
        BuildParams start = BuildParams.forCollection(forward.size(), forward.nnz(), forward.dim()).withThreads(threads);
        try (ProgressBar bar = bars.open("tune (builds)", 3)) {
            return RecallTuner.tune(forward, start, options, (phase, done, total) -> {
                if (phase.equals("tune-build")) {
                    bar.stepTo(done);
                }
            });
        }
    }

    /** The report's {@code tune} object: what the tuner saw and chose, on its own queries. */
    public static Map<String, Object> toMap(TunedIndex t, double recallTarget, String tuningSource) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recall_target", recallTarget);
        m.put("reached_on_tuning_queries", t.reached());
        m.put("tuning_queries", t.tuningQueries());
        m.put("tuning_queries_source", tuningSource == null ? "pseudo-queries drawn from the documents" : tuningSource);
        m.put("builds", t.builds());
        m.put("seconds", MethodStats.round(t.seconds()));
        TunePoint c = t.chosen();
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("query_cut", c.queryCut());
        chosen.put("heap_factor", c.heapFactor());
        chosen.put("rerank", t.search().rerankDepth());
        chosen.put("tuning_recall@k", MethodStats.round(c.recall()));
        chosen.put("tuning_p50_us", MethodStats.round(c.p50Us()));
        chosen.put("tuning_docs_scored_per_query", MethodStats.round(c.docsScored()));
        m.put("chosen", chosen);
        m.put("settings_measured", t.measured().size());
        return m;
    }
}
