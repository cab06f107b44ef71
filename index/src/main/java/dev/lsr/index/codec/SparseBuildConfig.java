package dev.lsr.index.codec;

import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;

/**
 * What a writer needs to build the per-segment structure: the vocabulary size, the doc count
 * under which a segment is searched exactly (no Seismic structure is built for it), the Seismic
 * build parameters and forward-index weight encoding, and {@code budgetDocs}: the segment size
 * {@code build.nPostings()} is meant for (a segment of n documents gets
 * {@code nPostings * n / budgetDocs}; 0 = every segment gets {@code nPostings}), and
 * {@code recallTarget}: when above 0, each segment's structure is built by seismic-blocks'
 * {@link dev.lsr.seismic.tune.RecallTuner} for that recall@10 (build parameters from
 * {@link BuildParams#forCollection}, raised by the tuner when needed; the search setting it
 * measured is kept in the segment), and {@code build}'s pruning and summary settings are not used
 * (its threads and seed are).
 */
public record SparseBuildConfig(int dim, int exactSegmentMaxDocs, BuildParams build, WeightEncoding encoding,
        int budgetDocs, double recallTarget) {

    public SparseBuildConfig {
        if (!(recallTarget == 0 || recallTarget > 0 && recallTarget <= 1)) {
            throw new IllegalArgumentException("recallTarget must be 0 (none) or in (0, 1], was " + recallTarget);
        }
    }

    /** Hand-set build parameters (no recall target). */
    public SparseBuildConfig(int dim, int exactSegmentMaxDocs, BuildParams build, WeightEncoding encoding,
            int budgetDocs) {
        this(dim, exactSegmentMaxDocs, build, encoding, budgetDocs, 0);
    }

    /** Every segment with the same {@code nPostings}, whatever its size. */
    public SparseBuildConfig(int dim, int exactSegmentMaxDocs, BuildParams build, WeightEncoding encoding) {
        this(dim, exactSegmentMaxDocs, build, encoding, 0);
    }

    /** The same settings, each segment tuned for {@code target} (0 = hand-set parameters). */
    public SparseBuildConfig withRecallTarget(double target) {
        return new SparseBuildConfig(dim, exactSegmentMaxDocs, build, encoding, budgetDocs, target);
    }

    public static SparseBuildConfig defaults() {
        // The collections' pruning rule (SeismicSettings.DEFAULT_PRUNING), not seismic-blocks' own.
        return new SparseBuildConfig(30522, 2000, BuildParams.defaults().withPruning(BuildParams.Pruning.GLOBAL_REFILLED),
                WeightEncoding.F16);
    }

    /**
     * The build parameters of a segment of {@code docs} documents holding {@code nnz} entries: the
     * posting budget scaled to its size, but never below what seismic-blocks'
     * {@link BuildParams#forCollection} keeps for a collection of that shape (at least
     * {@value BuildParams#MIN_KEPT_FRACTION} of its postings), so a small segment is not pruned
     * harder than a large one.
     */
    public BuildParams buildFor(int docs, long nnz) {
        if (budgetDocs <= 0) {
            return build;
        }
        long scaled = Math.round((double) build.nPostings() * docs / budgetDocs);
        long floor = (long) Math.ceil(BuildParams.MIN_KEPT_FRACTION * nnz / dim);
        return build.withNPostings((int) Math.clamp(Math.max(scaled, floor), 1L, Integer.MAX_VALUE / 2));
    }
}
