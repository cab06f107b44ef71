package dev.lsr.seismic.tune;

import dev.lsr.seismic.SparseVector;
import java.util.List;

/**
 * What {@link RecallTuner} aims for and how it measures.
 *
 * @param recallTarget   recall@k against exact search the tuned setting must reach
 * @param k              hits per query
 * @param margin         the chosen setting must reach {@code recallTarget + margin} on the tuning
 *                       queries, so that queries it never saw still reach the target
 * @param pseudoQueries  how many pseudo-queries to draw from the documents when no tuning queries
 *                       are given
 * @param tuningQueries  explicit tuning queries (never the queries being measured), or null to
 *                       draw pseudo-queries from the documents
 * @param threads        threads for the build and the exact ground truth (0 = all cores); the
 *                       latency of candidate settings is always measured on one thread
 * @param seed           seed of the pseudo-query draw
 * @param budgetGrowth   when no search setting reaches the goal, the next build keeps this many times
 *                       the postings (2: the default; a caller starting from a budget that may be
 *                       far too small, such as a collection's small segment, takes bigger steps so
 *                       that {@value RecallTuner#MAX_BUILDS} builds reach far enough)
 * @param maxRerank      the deepest rerank (sketch-scored candidates rescored exactly) the tuner may
 *                       choose when the automatic depth misses the goal at the widest setting; 0 or
 *                       less than the automatic depth: never deeper (the rerank is not part of the
 *                       setting the caller keeps, e.g. a collection's segment)
 * @param maxQueryCut    the widest query cut a chosen setting may have; a build that reaches the goal
 *                       only beyond it counts as missing it (and is rebuilt denser). Pseudo-queries
 *                       overrate very wide searches of thin lists: a realistic 20,000-document
 *                       segment reached 0.97 on them at query cut 50 and 0.928 on held-out queries
 */
public record TuneOptions(double recallTarget, int k, double margin, int pseudoQueries,
        List<SparseVector> tuningQueries, int threads, long seed, double budgetGrowth, int maxQueryCut, int maxRerank) {

    /** Doubling the budget between builds, every query cut (the behaviour before these options existed). */
    public TuneOptions(double recallTarget, int k, double margin, int pseudoQueries,
            List<SparseVector> tuningQueries, int threads, long seed) {
        this(recallTarget, k, margin, pseudoQueries, tuningQueries, threads, seed, 2.0, Integer.MAX_VALUE,
                DEFAULT_MAX_RERANK);
    }

    public static final double DEFAULT_RECALL_TARGET = 0.95;

    /**
     * Four times the automatic rerank depth (k = 10). On synthetic:1000000 recall stops at 0.983
     * from query cut 5 on whatever the heap factor, because a 32-term sketch ranks some true top-10
     * documents of 120-term documents below rank 100; denser builds cannot lift that, and the
     * tuner's two denser rebuilds there ran out of a 5.9 GB heap.
     */
    public static final int DEFAULT_MAX_RERANK = 400;

    /**
     * How far above the target the tuning queries must reach. Pseudo-queries track held-out queries
     * better on large collections than on small ones: on realistic:1000000 within 0.002-0.008 at
     * the settings chosen for goals 0.96-0.97, but 0.01 let realistic:30000 fall to 0.898 on held-out
     * queries for a target of 0.9 ({@code RecallTunerTest}), so the default keeps 0.02. A caller
     * that knows its data better passes its own ({@link #withMargin}).
     */
    public static final double DEFAULT_MARGIN = 0.02;

    public TuneOptions {
        if (!(recallTarget > 0 && recallTarget <= 1)) {
            throw new IllegalArgumentException("recallTarget must be in (0, 1], was " + recallTarget);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("margin must be in [0, 1), was " + margin);
        }
        if (pseudoQueries < 10) {
            throw new IllegalArgumentException("pseudoQueries must be >= 10, was " + pseudoQueries);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, was " + threads);
        }
        if (!(budgetGrowth > 1 && budgetGrowth <= 1000)) {
            throw new IllegalArgumentException("budgetGrowth must be in (1, 1000], was " + budgetGrowth);
        }
        if (maxQueryCut < 1) {
            throw new IllegalArgumentException("maxQueryCut must be >= 1, was " + maxQueryCut);
        }
        tuningQueries = tuningQueries == null ? null : List.copyOf(tuningQueries);
    }

    public static TuneOptions defaults() {
        return new TuneOptions(DEFAULT_RECALL_TARGET, 10, DEFAULT_MARGIN, 300, null, 0, 42L);
    }

    public static TuneOptions forTarget(double recallTarget) {
        return defaults().withRecallTarget(recallTarget);
    }

    public TuneOptions withMaxRerank(int v) {
        return new TuneOptions(recallTarget, k, margin, pseudoQueries, tuningQueries, threads, seed, budgetGrowth, maxQueryCut, v);
    }

    public TuneOptions withRecallTarget(double v) {
        return new TuneOptions(v, k, margin, pseudoQueries, tuningQueries, threads, seed, budgetGrowth, maxQueryCut, maxRerank);
    }

    public TuneOptions withK(int v) {
        return new TuneOptions(recallTarget, v, margin, pseudoQueries, tuningQueries, threads, seed, budgetGrowth, maxQueryCut, maxRerank);
    }

    public TuneOptions withMargin(double v) {
        return new TuneOptions(recallTarget, k, v, pseudoQueries, tuningQueries, threads, seed, budgetGrowth, maxQueryCut, maxRerank);
    }

    public TuneOptions withPseudoQueries(int v) {
        return new TuneOptions(recallTarget, k, margin, v, tuningQueries, threads, seed, budgetGrowth, maxQueryCut, maxRerank);
    }

    public TuneOptions withTuningQueries(List<SparseVector> v) {
        return new TuneOptions(recallTarget, k, margin, pseudoQueries, v, threads, seed, budgetGrowth, maxQueryCut, maxRerank);
    }

    public TuneOptions withThreads(int v) {
        return new TuneOptions(recallTarget, k, margin, pseudoQueries, tuningQueries, v, seed, budgetGrowth, maxQueryCut, maxRerank);
    }

    public TuneOptions withSeed(long v) {
        return new TuneOptions(recallTarget, k, margin, pseudoQueries, tuningQueries, threads, v, budgetGrowth, maxQueryCut, maxRerank);
    }

    public TuneOptions withBudgetGrowth(double v) {
        return new TuneOptions(recallTarget, k, margin, pseudoQueries, tuningQueries, threads, seed, v, maxQueryCut, maxRerank);
    }

    public TuneOptions withMaxQueryCut(int v) {
        return new TuneOptions(recallTarget, k, margin, pseudoQueries, tuningQueries, threads, seed, budgetGrowth, v, maxRerank);
    }

    int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
