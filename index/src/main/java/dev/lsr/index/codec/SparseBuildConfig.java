package dev.lsr.index.codec;

import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;

/**
 * What a writer needs to build the per-segment structure: the vocabulary size, the doc count
 * under which a segment is searched exactly (no Seismic structure is built for it), the Seismic
 * build parameters and forward-index weight encoding, and {@code budgetDocs}: the segment size
 * {@code build.nPostings()} is meant for (a segment of n documents gets
 * {@code nPostings * n / budgetDocs}; 0 = every segment gets {@code nPostings}).
 */
public record SparseBuildConfig(int dim, int exactSegmentMaxDocs, BuildParams build, WeightEncoding encoding,
        int budgetDocs) {

    /** Every segment with the same {@code nPostings}, whatever its size. */
    public SparseBuildConfig(int dim, int exactSegmentMaxDocs, BuildParams build, WeightEncoding encoding) {
        this(dim, exactSegmentMaxDocs, build, encoding, 0);
    }

    public static SparseBuildConfig defaults() {
        return new SparseBuildConfig(30522, 2000, BuildParams.defaults(), WeightEncoding.F16);
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
