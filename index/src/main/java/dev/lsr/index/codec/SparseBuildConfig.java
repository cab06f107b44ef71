package dev.lsr.index.codec;

import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;

/**
 * What a writer needs to build the per-segment structure: the vocabulary size, the doc count
 * under which a segment is searched exactly (no Seismic structure is built for it), the Seismic
 * build parameters and forward-index weight encoding, and {@code budgetDocs}: the segment size
 * {@code build.nPostings()} is meant for (a segment of n documents gets
 * {@code nPostings * n / budgetDocs}; 0 = every segment gets {@code nPostings}), and
 * {@code recallTarget}: when above 0, each segment's structure is built and checked for that
 * recall@10 by {@link SegmentSelfCheck} (starting from {@link #buildFor}, with at least the floor
 * of {@link BuildParams#forCollection}; the budget raised when the segment's own pseudo-queries
 * cannot reach the target at any search setting; the search setting it measured is kept in the
 * segment). {@code buildAtFlush}: whether a flushed segment at or above the threshold gets its
 * structure at flush (true: the refresh that flushes it waits for the build) or is written
 * without one and marked {@linkplain #PENDING_ATTRIBUTE pending}, for a merge policy to build it
 * off the flushing thread (a singleton merge, which always builds); merges always build.
 * Writers whose merge policy schedules no such builds (the no-argument codec, the OpenSearch
 * plugin) must keep it true, or their large flushed segments stay exact until merged.
 * {@code collectionSize}: the document count of the collection the segments are written into
 * (null: unknown, each segment is checked as if it were the whole collection), from which the
 * self-check takes the depth a segment must reach ({@link SegmentSelfCheck#depth}).
 */
public record SparseBuildConfig(int dim, int exactSegmentMaxDocs, BuildParams build, WeightEncoding encoding,
        int budgetDocs, double recallTarget, boolean buildAtFlush, CollectionSize collectionSize) {

    /**
     * Segment attribute ({@code SegmentInfo#getAttribute}) of a flushed segment at or above the
     * threshold written without a structure because {@link #buildAtFlush} is false: its value is
     * {@code "true"}. Merged segments never carry it.
     */
    public static final String PENDING_ATTRIBUTE = "lsr.sparse.structure_pending";

    /**
     * Segment attribute of a {@linkplain #PENDING_ATTRIBUTE pending} segment: the collection's
     * document count when it was flushed. Its singleton build checks the segment at the depth that
     * count gives ({@link SegmentSelfCheck#depth}), as a build at flush would have, whenever the
     * build runs; a merge policy that builds the segment copies it onto the build's segment (see
     * the index module's {@code StructureBuild}). Why: a build run after a bulk load sees the final
     * count, and every segment then checked at depth 2 chose heavier settings than at its flush
     * depth (ten 100,000-document segments of realistic:1000000: heap factors 0.3-0.6, p50 1.96x
     * the merged collection's instead of 1.38x, index README).
     */
    public static final String FLUSH_COLLECTION_DOCS_ATTRIBUTE = "lsr.sparse.collection_docs_at_flush";

    public SparseBuildConfig {
        if (!(recallTarget == 0 || recallTarget > 0 && recallTarget <= 1)) {
            throw new IllegalArgumentException("recallTarget must be 0 (none) or in (0, 1], was " + recallTarget);
        }
    }

    /** Built at flush (the behaviour before background builds), for a collection of unknown size. */
    public SparseBuildConfig(int dim, int exactSegmentMaxDocs, BuildParams build, WeightEncoding encoding,
            int budgetDocs, double recallTarget) {
        this(dim, exactSegmentMaxDocs, build, encoding, budgetDocs, recallTarget, true, null);
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
        return new SparseBuildConfig(dim, exactSegmentMaxDocs, build, encoding, budgetDocs, target, buildAtFlush,
                collectionSize);
    }

    /** The same settings, flushed segments built at flush ({@code true}) or left pending ({@code false}). */
    public SparseBuildConfig withBuildAtFlush(boolean atFlush) {
        return new SparseBuildConfig(dim, exactSegmentMaxDocs, build, encoding, budgetDocs, recallTarget, atFlush,
                collectionSize);
    }

    /** The same settings, reading the collection's document count from {@code size}. */
    public SparseBuildConfig withCollectionSize(CollectionSize size) {
        return new SparseBuildConfig(dim, exactSegmentMaxDocs, build, encoding, budgetDocs, recallTarget, buildAtFlush,
                size);
    }

    /**
     * The same settings for a build Lucene runs in the background while documents may keep coming
     * (a natural merge, a singleton structure build): with the automatic thread count (0), one
     * processor fewer than the machine has, at least one. Why: a build on every core shares them
     * with the indexing thread, which then waits its turn; on 2 cores, 1M realistic documents were
     * committed and searchable at 11,902 docs/s with builds on both cores (AVX2 machine,
     * 2026-12-05). Flushes built at flush and forced merges, which a caller waits for, keep every
     * core; an explicit thread count is kept as it is.
     */
    public SparseBuildConfig inBackground() {
        if (build.threads() != 0) {
            return this;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        return new SparseBuildConfig(dim, exactSegmentMaxDocs, build.withThreads(threads), encoding, budgetDocs,
                recallTarget, buildAtFlush, collectionSize);
    }

    /** Documents of the collection being written, 0 when unknown. */
    public long collectionDocuments() {
        return collectionSize == null ? 0 : collectionSize.documents();
    }

    public static SparseBuildConfig defaults() {
        // The collections' pruning rule (SeismicSettings.DEFAULT_PRUNING), not seismic-blocks' own.
        return new SparseBuildConfig(30522, 2000, BuildParams.defaults().withPruning(BuildParams.Pruning.GLOBAL_REFILLED),
                WeightEncoding.F16);
    }

    /**
     * The build parameters of a segment of {@code docs} documents holding {@code nnz} entries: the
     * posting budget scaled to its size, with a floor ({@link SegmentBudget#of}). A segment built
     * for a recall target starts there and may be given more ({@link SegmentSelfCheck}).
     */
    public BuildParams buildFor(int docs, long nnz) {
        return SegmentBudget.of(this, docs, nnz);
    }
}
