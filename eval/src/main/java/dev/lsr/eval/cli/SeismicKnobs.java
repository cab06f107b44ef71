package dev.lsr.eval.cli;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.search.SearchParams;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The explicit build and search knobs of {@code lsr bench seismic} (a picocli mixin): each unset
 * knob keeps {@link BuildParams#defaults()} / {@link SearchParams#defaults()}, and none may be set
 * beside {@code --recall-target}, which picks them all.
 */
public final class SeismicKnobs {

    @Option(names = "--query-cut", description = "query terms whose lists are visited (default: SearchParams.defaults)")
    Integer queryCut;

    @Option(names = "--heap-factor", description = "block skip factor (default: SearchParams.defaults)")
    Float heapFactor;

    @Option(names = "--knn", negatable = true, description = "kNN refinement when --kappa > 0 (default on)")
    Boolean knn;

    @Option(names = "--n-postings", description = "mean posting-list length after pruning (default: BuildParams.defaults)")
    Integer nPostings;

    @Option(names = "--fixed-postings", description = "keep exactly --n-postings per list instead of a global budget")
    boolean fixedPostings;

    @Option(names = "--refilled-postings", description = "global budget filled up again after the per-list caps "
            + "(what collections build; default: the real Seismic's rule, caps after the budget)")
    boolean refilledPostings;

    @Option(names = "--max-fraction", description = "per-list cap as a multiple of --n-postings")
    Float maxFraction;

    @Option(names = "--centroid-fraction", description = "blocks per list as a fraction of its length")
    Float centroidFraction;

    @Option(names = "--alpha", description = "summary L1-mass fraction kept")
    Float alpha;

    @Option(names = "--summary-doc-terms", description = "summaries use each document's top N terms (0 = all)")
    Integer summaryDocTerms;

    @Option(names = "--doc-cut", description = "top terms per document used to assign it to a centroid")
    Integer docCut;

    @Option(names = "--kappa", description = "kNN neighbours per document (0 = no graph)")
    Integer kappa;

    @Option(names = "--sketch-terms", description = "largest weights per document kept in its sketch, a multiple of 4"
            + " (0 = no sketches: every candidate scored from the forward index; default: BuildParams.defaults)")
    Integer sketchTerms;

    @Option(names = "--rerank", description = "sketch-scored candidates rescored exactly per query"
            + " (default: SearchParams.defaults, max(100, 2k))")
    Integer rerank;

    /** The tuner picks every build and search knob: an explicit one beside it would be silently ignored. */
    void rejectWithRecallTarget() {
        Map<String, Object> knobs = new LinkedHashMap<>();
        knobs.put("--n-postings", nPostings);
        knobs.put("--fixed-postings", fixedPostings ? Boolean.TRUE : null);
        knobs.put("--refilled-postings", refilledPostings ? Boolean.TRUE : null);
        knobs.put("--max-fraction", maxFraction);
        knobs.put("--centroid-fraction", centroidFraction);
        knobs.put("--alpha", alpha);
        knobs.put("--summary-doc-terms", summaryDocTerms);
        knobs.put("--doc-cut", docCut);
        knobs.put("--kappa", kappa);
        knobs.put("--sketch-terms", sketchTerms);
        knobs.put("--rerank", rerank);
        knobs.put("--query-cut", queryCut);
        knobs.put("--heap-factor", heapFactor);
        knobs.put("--knn", knn);
        for (Map.Entry<String, Object> e : knobs.entrySet()) {
            if (e.getValue() != null) {
                throw new BadInputException("--recall-target picks the build and search parameters itself; drop " + e.getKey());
            }
        }
    }

    BuildParams buildParams(int threads) {
        BuildParams bp = BuildParams.defaults().withThreads(threads);
        try {
            if (nPostings != null) {
                bp = bp.withNPostings(nPostings);
            }
            if (fixedPostings) {
                bp = bp.withPruning(BuildParams.Pruning.FIXED);
            } else if (refilledPostings) {
                bp = bp.withPruning(BuildParams.Pruning.GLOBAL_REFILLED);
            }
            if (maxFraction != null) {
                bp = bp.withMaxFraction(maxFraction);
            }
            if (centroidFraction != null) {
                bp = bp.withCentroidFraction(centroidFraction);
            }
            if (alpha != null) {
                bp = bp.withSummaryAlpha(alpha);
            }
            if (summaryDocTerms != null) {
                bp = bp.withSummaryDocTerms(summaryDocTerms);
            }
            if (docCut != null) {
                bp = bp.withDocCut(docCut);
            }
            if (kappa != null) {
                bp = bp.withKappa(kappa);
            }
            if (sketchTerms != null) {
                bp = bp.withSketchTerms(sketchTerms);
            }
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        return bp;
    }

    SearchParams searchParams(int k) {
        SearchParams sp = SearchParams.defaults().withK(k);
        try {
            if (queryCut != null) {
                sp = sp.withQueryCut(queryCut);
            }
            if (heapFactor != null) {
                sp = sp.withHeapFactor(heapFactor);
            }
            if (knn != null) {
                sp = sp.withKnn(knn);
            }
            if (rerank != null) {
                sp = sp.withRerank(rerank);
            }
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        return sp;
    }
}
