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
 */
final class SegmentSelfCheck {

    static final double BUDGET_GROWTH = 4.0;
    static final int MAX_QUERY_CUT = 20;

    private SegmentSelfCheck() {}

    /** Whether the segment has anything to draw pseudo-queries from (an all-empty one does not). */
    static boolean applicable(ForwardIndex forward) {
        return forward.nnz() > 0;
    }

    static TunedIndex build(ForwardIndex forward, SparseBuildConfig config) {
        TuneOptions options = TuneOptions.forTarget(config.recallTarget())
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
