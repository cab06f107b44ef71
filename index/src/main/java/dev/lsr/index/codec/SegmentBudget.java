package dev.lsr.index.codec;

import dev.lsr.seismic.build.BuildParams;

/**
 * The posting budget a segment's Seismic structure starts from: the collection's
 * {@code nPostings} as a per-document share ({@code nPostings * docs / budgetDocs}), so that ten
 * segments start from no more postings than the one segment merging them, but never below
 * seismic-blocks' {@link BuildParams#forCollection} floor of {@value BuildParams#MIN_KEPT_FRACTION}
 * of the segment's own postings.
 *
 * <p>This share is only a starting point: measured on three sources (index README, "Posting
 * budget per segment"), it starves small segments. A 5,183-document SciFact segment gets 5 postings
 * per term and at most 7 per list, recall@10 0.42 against exact; realistic segments of 7,000 and
 * 20,000 documents reach 0.78 and 0.88 at best with any search setting. The top-10 documents of a
 * query sit relatively deeper in the lists of a small collection than a per-document share assumes,
 * so a segment built for a recall target ({@link SegmentSelfCheck}) raises it when its own
 * pseudo-queries say it must.
 */
final class SegmentBudget {

    private SegmentBudget() {}

    /**
     * The build parameters of a segment of {@code docs} documents holding {@code nnz} entries over
     * {@code config.dim()} terms. With {@code budgetDocs} 0 every segment gets {@code nPostings}
     * (hand-set, unscaled).
     */
    static BuildParams of(SparseBuildConfig config, int docs, long nnz) {
        BuildParams build = config.build();
        if (config.budgetDocs() <= 0) {
            return build;
        }
        long scaled = Math.round((double) build.nPostings() * docs / config.budgetDocs());
        return build.withNPostings(clamp(Math.max(scaled, floor(config, nnz))));
    }

    /**
     * Where a recall-target build starts: {@link #of}, and never below the floor even when the
     * budget is unscaled (what {@link BuildParams#forCollection} gives a segment built with the
     * defaults).
     */
    static BuildParams start(SparseBuildConfig config, int docs, long nnz) {
        BuildParams p = of(config, docs, nnz);
        return p.withNPostings(clamp(Math.max(p.nPostings(), floor(config, nnz))));
    }

    private static long floor(SparseBuildConfig config, long nnz) {
        return (long) Math.ceil(BuildParams.MIN_KEPT_FRACTION * nnz / config.dim());
    }

    private static int clamp(long nPostings) {
        return (int) Math.clamp(nPostings, 1L, Integer.MAX_VALUE / 2);
    }
}
