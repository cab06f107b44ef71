package dev.lsr.eval.bench;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.tune.TunedIndex;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * The Seismic index a {@code bench seismic} run measures, with the parameters it was built and is
 * searched with: the explicit ones, or those {@link SeismicTuning} picked for a recall target
 * ({@code tuned} and {@code tuning} then say how).
 */
public record BenchIndex(SeismicIndex index, BuildParams build, SearchParams search, double buildSeconds,
        TunedIndex tuned, TuningQueries tuning, Double recallTarget) {

    /** Builds with explicit parameters, its progress on the blocks phase. */
    public static BenchIndex build(ForwardIndex forward, BuildParams bp, SearchParams sp, Bars bars) {
        long t0 = System.nanoTime();
        SeismicIndex index;
        try (ProgressBar bar = bars.open("seismic build", forward.dim())) {
            index = SeismicBuilder.build(forward, bp, (phase, done, total) -> {
                if (phase.equals("blocks")) {
                    bar.stepTo(done);
                }
            });
        }
        return new BenchIndex(index, bp, sp, (System.nanoTime() - t0) / 1e9, null, null, null);
    }

    /**
     * Tunes build and search parameters for {@code recallTarget} on {@code tuning} (null: pseudo-queries
     * drawn from the documents); the build time is the whole tuning's.
     */
    public static BenchIndex tune(ForwardIndex forward, double recallTarget, int k, int threads, TuningQueries tuning,
            Bars bars) {
        long t0 = System.nanoTime();
        TunedIndex t = SeismicTuning.tune(forward, recallTarget, k, threads, tuning == null ? null : tuning.queries(), bars);
        return new BenchIndex(t.index(), t.build(), t.search(), (System.nanoTime() - t0) / 1e9, t, tuning, recallTarget);
    }

    /** The report's {@code tune} object, or null for explicit parameters. */
    public Map<String, Object> tuneReport() {
        return tuned == null ? null : SeismicTuning.toMap(tuned, recallTarget, tuning == null ? null : tuning.describe());
    }
}
