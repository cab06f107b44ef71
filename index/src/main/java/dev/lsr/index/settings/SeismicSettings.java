package dev.lsr.index.settings;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.index.InvalidSettingsException;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;
import java.util.Locale;

/**
 * Seismic build parameters, applied to every segment at flush and merge. Names, meaning and
 * defaults are seismic-blocks' {@link BuildParams} (see there): static pruning ({@code pruning}
 * "global", "global_refilled" (the default) or "fixed", {@code nPostings}, {@code maxFraction}), blocking ({@code centroidFraction},
 * {@code minClusterSize}, {@code docCut}), summaries ({@code summaryAlpha},
 * {@code summaryDocTerms}), the kNN graph ({@code kappa}, 0 = none), {@code threads} (0 = all
 * cores) and {@code seed}; plus {@code weightEncoding} "f16" or "u8" for the forward index. Scores
 * reported are always recomputed from the stored float vectors, whatever the encoding.
 *
 * <p>{@code nPostingsDocs}: {@code nPostings} is the budget of a segment of this many documents;
 * a segment of n documents gets {@code nPostings * n / nPostingsDocs} (at least 1), so the
 * posting budget is per document and ten segments hold no more postings than the one segment
 * merging them would. 0 gives every segment {@code nPostings} whatever its size.
 *
 * <p>{@code recallTarget} ({@value #DEFAULT_RECALL_TARGET} by default; 0 = none): each segment with
 * a Seismic structure is built from the per-document budget above and checked on pseudo-queries
 * drawn from its own documents against its exact search; a search that names no
 * {@code query_cut} / {@code heap_factor} uses the setting measured for each segment, and a segment
 * that no search setting brings to the target is rebuilt with more postings (index codec's
 * {@code SegmentSelfCheck}). The per-document budget alone starves small segments (a 5,183-document
 * SciFact segment: recall@10 0.42 against exact); the check costs build time at every flush and
 * merge that builds a structure (index README, "Posting budget per segment"). With 0 the hand-set
 * parameters are used as they are.
 */
public record SeismicSettings(
        String pruning,
        @JsonProperty("n_postings") @JsonAlias("nPostings") Integer nPostings,
        @JsonProperty("max_fraction") @JsonAlias("maxFraction") Double maxFraction,
        @JsonProperty("centroid_fraction") @JsonAlias("centroidFraction") Double centroidFraction,
        @JsonProperty("min_cluster_size") @JsonAlias("minClusterSize") Integer minClusterSize,
        @JsonProperty("doc_cut") @JsonAlias("docCut") Integer docCut,
        @JsonProperty("summary_alpha") @JsonAlias("summaryAlpha") Double summaryAlpha,
        @JsonProperty("summary_doc_terms") @JsonAlias("summaryDocTerms") Integer summaryDocTerms,
        Integer kappa,
        Integer threads,
        Long seed,
        @JsonProperty("weight_encoding") @JsonAlias("weightEncoding") String weightEncoding,
        @JsonProperty("n_postings_docs") @JsonAlias("nPostingsDocs") Integer nPostingsDocs,
        @JsonProperty("recall_target") @JsonAlias("recallTarget") Double recallTarget) {

    /** The budget of a 1,000,000-document segment is {@code nPostings}; smaller segments get proportionally less. */
    public static final int DEFAULT_NPOSTINGS_DOCS = 1_000_000;

    /** The collection's recall@10 target against exact search (what the project aims for). */
    public static final double DEFAULT_RECALL_TARGET = 0.95;

    /** Without {@code nPostingsDocs} (the default, {@value #DEFAULT_NPOSTINGS_DOCS}). */
    public SeismicSettings(String pruning, Integer nPostings, Double maxFraction, Double centroidFraction,
            Integer minClusterSize, Integer docCut, Double summaryAlpha, Integer summaryDocTerms, Integer kappa,
            Integer threads, Long seed, String weightEncoding) {
        this(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms,
                kappa, threads, seed, weightEncoding, null, null);
    }

    /** Without {@code recallTarget} (hand-set parameters). */
    public SeismicSettings(String pruning, Integer nPostings, Double maxFraction, Double centroidFraction,
            Integer minClusterSize, Integer docCut, Double summaryAlpha, Integer summaryDocTerms, Integer kappa,
            Integer threads, Long seed, String weightEncoding, Integer nPostingsDocs) {
        this(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha, summaryDocTerms,
                kappa, threads, seed, weightEncoding, nPostingsDocs, null);
    }

    /**
     * Collections keep the refilled global budget (what the caps cut goes to other lists) while
     * seismic-blocks' own default is the real Seismic's rule: the per-segment budgets, the filter
     * widening and the search defaults of collections were measured with it, and the capped rule
     * keeps ~40% fewer postings for the same n_postings (seismic-blocks/README.md).
     */
    public static final String DEFAULT_PRUNING = "global_refilled";

    public SeismicSettings {
        BuildParams d = BuildParams.defaults();
        pruning = oneOf("seismic.pruning", pruning, DEFAULT_PRUNING, "global", "global_refilled", "fixed");
        nPostings = SettingsCheck.atLeast("seismic.n_postings", nPostings, d.nPostings(), 1);
        maxFraction = SettingsCheck.between("seismic.max_fraction", maxFraction, d.maxFraction(), 1.0, 1e6);
        centroidFraction = SettingsCheck.between("seismic.centroid_fraction", centroidFraction, d.centroidFraction(), 1e-9, 1.0);
        minClusterSize = SettingsCheck.atLeast("seismic.min_cluster_size", minClusterSize, d.minClusterSize(), 1);
        docCut = SettingsCheck.atLeast("seismic.doc_cut", docCut, d.docCut(), 1);
        summaryAlpha = SettingsCheck.between("seismic.summary_alpha", summaryAlpha, d.summaryAlpha(), 1e-9, 1.0);
        summaryDocTerms = SettingsCheck.atLeast("seismic.summary_doc_terms", summaryDocTerms, d.summaryDocTerms(), 0);
        kappa = SettingsCheck.atLeast("seismic.kappa", kappa, d.kappa(), 0);
        threads = SettingsCheck.atLeast("seismic.threads", threads, d.threads(), 0);
        seed = seed == null ? d.seed() : seed;
        nPostingsDocs = SettingsCheck.atLeast("seismic.n_postings_docs", nPostingsDocs, DEFAULT_NPOSTINGS_DOCS, 0);
        weightEncoding = oneOf("seismic.weight_encoding", weightEncoding, "f16", "f16", "u8");
        recallTarget = SettingsCheck.between("seismic.recall_target", recallTarget, DEFAULT_RECALL_TARGET, 0.0, 1.0);
    }

    private static String oneOf(String key, String value, String dflt, String... allowed) {
        if (value == null) {
            return dflt;
        }
        String v = value.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new InvalidSettingsException("setting '" + key + "' must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
    }

    /** The seismic-blocks build parameters these settings stand for. */
    public BuildParams buildParams() {
        try {
            return BuildParams.defaults()
                    .withPruning(BuildParams.Pruning.valueOf(pruning.toUpperCase(Locale.ROOT)))
                    .withNPostings(nPostings)
                    .withMaxFraction(maxFraction.floatValue())
                    .withCentroidFraction(centroidFraction.floatValue())
                    .withMinClusterSize(minClusterSize)
                    .withDocCut(docCut)
                    .withSummaryAlpha(summaryAlpha.floatValue())
                    .withSummaryDocTerms(summaryDocTerms)
                    .withKappa(kappa)
                    .withThreads(threads)
                    .withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("setting 'seismic': " + e.getMessage(), e);
        }
    }

    public SeismicSettings withNPostingsDocs(int n) {
        return new SeismicSettings(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha,
                summaryDocTerms, kappa, threads, seed, weightEncoding, n, recallTarget);
    }

    /** The same settings, each segment tuned for recall@10 {@code target} (0 = hand-set parameters). */
    public SeismicSettings withRecallTarget(double target) {
        return new SeismicSettings(pruning, nPostings, maxFraction, centroidFraction, minClusterSize, docCut, summaryAlpha,
                summaryDocTerms, kappa, threads, seed, weightEncoding, nPostingsDocs, target);
    }

    public WeightEncoding encoding() {
        return weightEncoding.equals("u8") ? WeightEncoding.U8 : WeightEncoding.F16;
    }

    public static SeismicSettings defaults() {
        return new SeismicSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
