package dev.lsr.eval.beir;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings {@code lsr beir} sweeps, and the runs they expand to: every mode in every query
 * mode, approximate runs over each query cut x heap factor, hybrid runs over each fusion (linear
 * over each sparse weight), and after each run that uses vectors one pseudo-relevance-feedback run
 * per PRF weight. Every value is checked when the plan is made, whether or not a requested mode
 * uses it, so a bad value fails before any encoding starts.
 *
 * @param queryCuts approximate search query cuts (empty: the collection's default)
 * @param heapFactors approximate search heap factors (empty: the collection's default)
 * @param fusions hybrid fusions, {@code rrf} or {@code linear} (empty: rrf)
 * @param rrfK the rrf constant
 * @param sparseWeights linear fusion weights of the sparse score (empty: 0.5)
 * @param prfWeights pseudo-relevance feedback shares (empty: no PRF runs)
 * @param prfDocs first-pass hits that expand a query
 * @param prfTerms expansion terms kept
 */
public record RunPlan(List<Integer> queryCuts, List<Double> heapFactors, List<String> fusions, int rrfK,
        List<Double> sparseWeights, List<Double> prfWeights, int prfDocs, int prfTerms) {

    public RunPlan {
        queryCuts = List.copyOf(queryCuts);
        heapFactors = List.copyOf(heapFactors);
        fusions = List.copyOf(fusions);
        sparseWeights = List.copyOf(sparseWeights);
        prfWeights = List.copyOf(prfWeights);
        for (int cut : queryCuts) {
            if (cut < 1) {
                throw new BadInputException("--query-cut must be >= 1, got " + cut);
            }
        }
        for (double hf : heapFactors) {
            if (!(hf > 0 && hf <= 1)) {
                throw new BadInputException("--heap-factor must be in (0, 1], got " + hf);
            }
        }
        for (String fusion : fusions) {
            if (!fusion.equals("rrf") && !fusion.equals("linear")) {
                throw new BadInputException("--fusion must be rrf or linear, got '" + fusion + "'");
            }
        }
        if (rrfK < 1) {
            throw new BadInputException("--rrf-k must be >= 1, got " + rrfK);
        }
        for (double w : sparseWeights) {
            if (!(w >= 0 && w <= 1)) {
                throw new BadInputException("--sparse-weight must be in [0, 1], got " + w);
            }
        }
        for (double w : prfWeights) {
            if (!(w >= 0 && w <= 1)) {
                throw new BadInputException("--prf-weight must be in [0, 1], got " + w);
            }
        }
        if (!prfWeights.isEmpty() && (prfDocs < 1 || prfDocs > 100 || prfTerms < 1 || prfTerms > 1000)) {
            throw new BadInputException("--prf-docs must be in [1, 100] and --prf-terms in [1, 1000], got "
                    + prfDocs + " and " + prfTerms);
        }
    }

    /**
     * @param modes search modes in the order to run them ({@link RunSpec#APPROXIMATE} etc.)
     * @param queryModes query modes each vector mode runs in (bm25 runs once, without one)
     */
    public List<RunSpec> specs(List<String> modes, List<String> queryModes) {
        List<RunSpec> specs = new ArrayList<>();
        for (RunSpec s : plainSpecs(modes, queryModes)) {
            specs.add(s);
            if (!s.usesVectors()) {
                continue;
            }
            for (double w : prfWeights) {
                Map<String, Object> p = new LinkedHashMap<>(s.params());
                p.put("prf_docs", prfDocs);
                p.put("prf_terms", prfTerms);
                p.put("prf_weight", w);
                specs.add(new RunSpec(s.mode(), s.queryMode(), p));
            }
        }
        return specs;
    }

    private List<RunSpec> plainSpecs(List<String> modes, List<String> queryModes) {
        List<RunSpec> specs = new ArrayList<>();
        for (String mode : modes) {
            for (String qm : mode.equals(RunSpec.BM25) ? List.of("") : queryModes) {
                switch (mode) {
                    case RunSpec.APPROXIMATE -> {
                        for (Integer cut : orNull(queryCuts)) {
                            for (Double hf : orNull(heapFactors)) {
                                Map<String, Object> p = new LinkedHashMap<>();
                                if (cut != null) {
                                    p.put("query_cut", cut);
                                }
                                if (hf != null) {
                                    p.put("heap_factor", hf);
                                }
                                specs.add(new RunSpec(mode, qm, p));
                            }
                        }
                    }
                    case RunSpec.HYBRID -> {
                        for (String fusion : fusions.isEmpty() ? List.of("rrf") : fusions) {
                            if (fusion.equals("rrf")) {
                                Map<String, Object> p = new LinkedHashMap<>();
                                p.put("fusion", "rrf");
                                p.put("rrf_k", rrfK);
                                specs.add(new RunSpec(mode, qm, p));
                                continue;
                            }
                            for (double w : sparseWeights.isEmpty() ? List.of(0.5) : sparseWeights) {
                                Map<String, Object> p = new LinkedHashMap<>();
                                p.put("fusion", "linear");
                                p.put("sparse_weight", w);
                                specs.add(new RunSpec(mode, qm, p));
                            }
                        }
                    }
                    default -> specs.add(new RunSpec(mode, qm, Map.of()));
                }
            }
        }
        return specs;
    }

    /** The values to sweep, or one null (the collection's default) when none were given. */
    private static <T> List<T> orNull(List<T> values) {
        List<T> l = new ArrayList<>(values);
        if (l.isEmpty()) {
            l.add(null);
        }
        return l;
    }
}
