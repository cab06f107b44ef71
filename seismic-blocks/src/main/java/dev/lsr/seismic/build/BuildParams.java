package dev.lsr.seismic.build;

/**
 * How {@link SeismicBuilder} shapes the index.
 *
 * @param pruning          {@link Pruning#GLOBAL}: keep the {@code nPostings * dim} largest postings of
 *                         the collection, then at most {@code maxFraction * nPostings} per list (the
 *                         real Seismic's global threshold); {@link Pruning#GLOBAL_REFILLED}: the same
 *                         budget filled up again after the caps; {@link Pruning#FIXED}: keep the
 *                         {@code nPostings} largest of every list
 * @param nPostings        mean (GLOBAL) or fixed (FIXED) posting-list length after static pruning
 * @param maxFraction      GLOBAL only: per-list cap as a multiple of {@code nPostings}
 * @param centroidFraction blocks per list as a fraction of the (pruned) list length
 * @param minClusterSize   clusters smaller than this are dissolved and their documents reassigned
 * @param docCut           documents are assigned to centroids by dot product on their top terms
 * @param summaryAlpha     a block summary keeps the largest entries holding this fraction of its L1 mass
 * @param summaryDocTerms  summaries are the max over each block document's top this-many terms
 *                         (0 = whole documents); the mass cut drops small weights anyway, and
 *                         reading whole documents dominates build time
 * @param kappa            neighbours stored per document for kNN refinement (0 = none)
 * @param sketchTerms      each document's largest this-many weights are kept in a fixed-size
 *                         sketch that search scores candidates on before rescoring the best
 *                         exactly (a multiple of 4; 0 = none, every candidate read in full)
 * @param threads          build threads (0 = all available processors)
 * @param seed             seed of the centroid sampling (the build is deterministic for a seed)
 */
public record BuildParams(
        Pruning pruning,
        int nPostings,
        float maxFraction,
        float centroidFraction,
        int minClusterSize,
        int docCut,
        float summaryAlpha,
        int summaryDocTerms,
        int kappa,
        int sketchTerms,
        int threads,
        long seed) {

    /** Static pruning strategy for posting lists. */
    public enum Pruning {
        /** The budget on the largest weights of the collection, then per-list caps (the real Seismic). */
        GLOBAL,
        /**
         * The budget on the largest weights under the per-list caps, so what the caps cut goes to
         * other lists: about 1.7x the postings of {@link #GLOBAL} for the same {@code nPostings} on
         * realistic data. The builds of collections still use it: their per-segment budgets and
         * search defaults were measured with it (index/README.md).
         */
        GLOBAL_REFILLED,
        FIXED
    }

    public BuildParams {
        if (pruning == null) {
            throw new IllegalArgumentException("pruning must be set");
        }
        if (nPostings <= 0) {
            throw new IllegalArgumentException("nPostings must be > 0, was " + nPostings);
        }
        if (!(maxFraction >= 1f)) {
            throw new IllegalArgumentException("maxFraction must be >= 1, was " + maxFraction);
        }
        if (!(centroidFraction > 0f && centroidFraction <= 1f)) {
            throw new IllegalArgumentException("centroidFraction must be in (0, 1], was " + centroidFraction);
        }
        if (minClusterSize < 1) {
            throw new IllegalArgumentException("minClusterSize must be >= 1, was " + minClusterSize);
        }
        if (docCut < 1) {
            throw new IllegalArgumentException("docCut must be >= 1, was " + docCut);
        }
        if (!(summaryAlpha > 0f && summaryAlpha <= 1f)) {
            throw new IllegalArgumentException("summaryAlpha must be in (0, 1], was " + summaryAlpha);
        }
        if (summaryDocTerms < 0) {
            throw new IllegalArgumentException("summaryDocTerms must be >= 0, was " + summaryDocTerms);
        }
        if (kappa < 0) {
            throw new IllegalArgumentException("kappa must be >= 0, was " + kappa);
        }
        if (sketchTerms < 0 || sketchTerms % 4 != 0 || sketchTerms > 1024) {
            throw new IllegalArgumentException("sketchTerms must be a multiple of 4 in [0, 1024], was " + sketchTerms);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, was " + threads);
        }
    }

    /**
     * Defaults checked on the synthetic, the realistic and the real SPLADE++ queries (module
     * README): global pruning to a budget of 1,000 postings per term, then at most 1,500 per list
     * (the real Seismic's global threshold), blocks of about five documents (20% centroids),
     * summaries over whole documents keeping 40% of their L1 mass, and 32-term document sketches.
     * Summaries from each document's top terms only (an earlier default, 16 terms and 20% mass)
     * were no upper bound of their blocks: on realistic data every lost top-10 document was lost in
     * a block whose summary scored below it. 20% centroids: with sketches a candidate costs two
     * cache lines instead of a full document, which moved the best block size from 30% (three
     * documents) toward larger blocks; 20% beat 10% along the recall-latency curve on held-out and
     * real queries (realistic:1000000, index mapped from its file, 2026-12-05: 0.9537 at 544 us vs
     * 0.9579 at 761 us; real queries 0.9540 at 243 us vs 0.9487 at 272 us) and, with the sketches,
     * keeps the index within 1.6x the forward index (1.598x; 30% would be 1.624x). Module README,
     * "Document sketches".
     */
    public static BuildParams defaults() {
        return new BuildParams(Pruning.GLOBAL, 1000, 1.5f, 0.2f, 2, 12, 0.4f, 0, 0, DEFAULT_SKETCH_TERMS, 0, 42L);
    }

    /**
     * Build parameters for a collection of {@code docs} documents with {@code nnz} non-zeros over
     * {@code dim} terms: the defaults, with the posting budget raised to at least
     * {@value #MIN_KEPT_FRACTION} of all postings (a large collection keeps the fixed budget of
     * 1,000 per term; a small one is not pruned harder than a large one). With {@link
     * Pruning#GLOBAL} the per-list caps then cut into that budget (realistic:1000000: a budget of
     * 1,102 per term keeps 5.7% of the postings), which the recall tuner measures, not assumes.
     */
    public static BuildParams forCollection(int docs, long nnz, int dim) {
        BuildParams d = defaults();
        if (dim <= 0 || docs <= 0) {
            return d;
        }
        long wanted = (long) Math.ceil(MIN_KEPT_FRACTION * nnz / dim);
        return wanted > d.nPostings() ? d.withNPostings((int) Math.min(Integer.MAX_VALUE / 4, wanted)) : d;
    }

    /** Sketch size of {@link #defaults()}; see {@link #sketchTerms}. */
    public static final int DEFAULT_SKETCH_TERMS = 32;

    /** Share of all postings that {@link #forCollection} budgets at least (before the caps). */
    public static final double MIN_KEPT_FRACTION = 0.10;

    /** Keeps every posting: for small segments and for exhaustive checks. */
    public static BuildParams unpruned() {
        return defaults().withPruning(Pruning.FIXED).withNPostings(Integer.MAX_VALUE / 2);
    }

    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    public BuildParams withPruning(Pruning v) {
        return new BuildParams(v, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms, kappa, sketchTerms, threads, seed);
    }

    public BuildParams withNPostings(int v) {
        return new BuildParams(pruning, v, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms, kappa, sketchTerms, threads, seed);
    }

    public BuildParams withMaxFraction(float v) {
        return new BuildParams(pruning, nPostings, v, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms, kappa, sketchTerms, threads, seed);
    }

    public BuildParams withCentroidFraction(float v) {
        return new BuildParams(pruning, nPostings, maxFraction, v, minClusterSize, docCut, summaryAlpha, summaryDocTerms, kappa, sketchTerms, threads, seed);
    }

    public BuildParams withMinClusterSize(int v) {
        return new BuildParams(pruning, nPostings, maxFraction, centroidFraction, v, docCut, summaryAlpha, summaryDocTerms, kappa, sketchTerms, threads, seed);
    }

    public BuildParams withDocCut(int v) {
        return new BuildParams(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, v, summaryAlpha, summaryDocTerms, kappa, sketchTerms, threads, seed);
    }

    public BuildParams withSummaryAlpha(float v) {
        return new BuildParams(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, v, summaryDocTerms, kappa, sketchTerms, threads, seed);
    }

    public BuildParams withSummaryDocTerms(int v) {
        return new BuildParams(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, v, kappa, sketchTerms, threads, seed);
    }

    public BuildParams withKappa(int v) {
        return new BuildParams(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms, v, sketchTerms, threads, seed);
    }

    public BuildParams withSketchTerms(int v) {
        return new BuildParams(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms, kappa, v, threads, seed);
    }

    public BuildParams withThreads(int v) {
        return new BuildParams(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms, kappa, sketchTerms, v, seed);
    }

    public BuildParams withSeed(long v) {
        return new BuildParams(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms, kappa, sketchTerms, threads, v);
    }
}
