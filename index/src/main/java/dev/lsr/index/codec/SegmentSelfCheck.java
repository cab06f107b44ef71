package dev.lsr.index.codec;

import dev.lsr.seismic.build.BuildProgress;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.tune.RecallTuner;
import dev.lsr.seismic.tune.TuneOptions;
import dev.lsr.seismic.tune.TunedIndex;

/**
 * Builds a segment's Seismic structure for the collection's recall target and checks it on the
 * segment's own documents: seismic-blocks' {@link RecallTuner} draws pseudo-queries from them,
 * measures recall@10 against the segment's exact search, and keeps the fastest search setting
 * that reaches the target (plus the tuner's margin). The build starts from the per-document
 * {@link SegmentBudget}; only when no search setting of that build reaches the target is the
 * segment rebuilt with {@value #BUDGET_GROWTH} times the postings (up to three builds), so a
 * segment that the share serves well (realistic 200,000 documents: widened search, same
 * postings) keeps it, and one that it starves (SciFact's 5,183 documents: 5 postings per term)
 * gets what it needs (80 per term after two rebuilds).
 *
 * <p>Why 4 and not the tuner's default of 2: a small segment's share can be 20-50 times too small
 * (SciFact) and three doubling builds stopped at 20 postings per term there, recall@10 0.91 on
 * held-out queries; growing by 4 reached 0.99, and on realistic 20,000-document segments the one
 * rebuild it needed gave 0.96-0.99 either way.
 *
 * <p>Why at most {@value #MAX_QUERY_CUT} lists per query: a build that reaches the target only by
 * visiting the lists of nearly every query term has lists too thin, and pseudo-queries overrate it
 * (a realistic 20,000-document segment: 0.97 on pseudo-queries at query cut 50, 0.928 on held-out
 * queries; rebuilt instead, 0.9725 at query cut 8).
 *
 * <p>Why a segment is checked at a depth below k ({@link #depth}): in a collection of several
 * segments, a query's top-k comes from all of them, each holding about its share of it, and the
 * collection searches every later segment from the k-th score the earlier ones set, which prunes
 * as a search for that share would. A segment checked for a top-10 of its own was checked for
 * far more than it is asked for: ten 100,000-document segments of realistic:1000000, each checked
 * at 10, chose query cuts 15-20 with heap factors 0.4-0.75 where the merged segment chose 12/0.6,
 * and three of them missed at every setting and were rebuilt with 2.4x the postings (4x the
 * summary entries), so the ten searched 1.9x the blocks of the merged segment (index README,
 * Measured).
 */
final class SegmentSelfCheck {

    static final double BUDGET_GROWTH = 4.0;
    /** The top-k a collection's recall target is stated for (recall@10). */
    static final int K = 10;
    static final int MAX_QUERY_CUT = 20;

    private SegmentSelfCheck() {}

    /** Whether the segment has anything to draw pseudo-queries from (an all-empty one does not). */
    static boolean applicable(ForwardIndex forward) {
        return forward.nnz() > 0;
    }

    /**
     * The depth a segment of {@code segmentDocs} documents is checked at, in a collection of
     * {@code collectionDocs} (0: unknown, the segment is the collection): twice its expected share
     * of the top-{@code k}, rounded up, at least 1 and at most {@code k}. Twice, because the share
     * of one query varies around its mean: with a tenth of the documents a segment holds more than
     * two of a top-10 for about 7% of queries (binomial), and those deeper hits are still found
     * more often than not.
     */
    static int depth(int k, long segmentDocs, long collectionDocs) {
        if (collectionDocs <= segmentDocs || segmentDocs <= 0) {
            return k;
        }
        double share = segmentDocs / (double) collectionDocs;
        return (int) Math.max(1, Math.min(k, Math.ceil(2.0 * k * share)));
    }

    static TunedIndex build(ForwardIndex forward, SparseBuildConfig config) {
        return build(forward, config, K);
    }

    /** As {@link #build(ForwardIndex, SparseBuildConfig)}, checking recall at {@code depth} (see {@link #depth}). */
    static TunedIndex build(ForwardIndex forward, SparseBuildConfig config, int depth) {
        TuneOptions options = TuneOptions.forTarget(config.recallTarget())
                .withK(depth)
                .withThreads(config.build().threads())
                .withBudgetGrowth(BUDGET_GROWTH)
                .withMaxQueryCut(MAX_QUERY_CUT)
                // A segment keeps only query cut and heap factor, and the collection rescores one
                // pool of sketch candidates for all segments: a deeper rerank would not be used.
                .withMaxRerank(0);
        return RecallTuner.tune(forward, SegmentBudget.start(config, forward.size(), forward.nnz()), options,
                BuildProgress.NONE);
    }
}
