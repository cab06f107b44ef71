package dev.lsr.eval.cli;

import dev.lsr.eval.bench.Bars;
import dev.lsr.eval.bench.CsrExport;
import dev.lsr.eval.bench.ExactBaselines;
import dev.lsr.eval.bench.LuceneMeasurement;
import dev.lsr.eval.bench.MethodStats;
import dev.lsr.eval.bench.SavedIndexCheck;
import dev.lsr.eval.bench.SeismicBenchData;
import dev.lsr.eval.bench.SeismicBenchReport;
import dev.lsr.eval.bench.SeismicMeasurement;
import dev.lsr.eval.bench.SeismicSweep;
import dev.lsr.eval.bench.SeismicTuning;
import dev.lsr.eval.bench.Timing;
import dev.lsr.eval.bench.TuningQueries;
import dev.lsr.eval.bench.SweepPoint;
import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.eval.report.JsonReport;
import dev.lsr.eval.vectors.VectorSources;
import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.AnseriniQueryTsv;
import dev.lsr.seismic.search.InvertedExactSearcher;
import dev.lsr.seismic.search.InvertedLists;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.tune.TunedIndex;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr bench seismic}: Seismic vs the fastest exact search (inverted lists, TAAT or MaxScore)
 * vs the forward-index scan (the ground truth) vs Lucene FeatureField impacts, measured in one run
 * on the same vectors (DESIGN.md's report shape). This class wires options to the
 * {@code dev.lsr.eval.bench} measurements.
 */
@Command(name = "seismic", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark the Seismic index against exact search and Lucene FeatureField impacts, on the same vectors.")
public final class BenchSeismicCommand implements Callable<Integer> {

    @Option(names = "--docs", required = true, paramLabel = "SRC",
            description = "documents: synthetic:N[:seed], realistic:N[:seed], .csr, .jsonl[.gz] (JsonVectorCollection / vector JSONL)")
    String docs;

    @Option(names = "--queries", required = true, paramLabel = "SRC",
            description = "queries: synthetic:N[:seed], realistic:N[:seed], Anserini .tsv[.gz], .jsonl[.gz], .csr")
    String queries;

    @Option(names = "--vocab", paramLabel = "FILE", description = "vocab.txt or tokenizer.json mapping tokens to ids")
    Path vocab;

    @Option(names = "--tsv-scale", defaultValue = "0.01", description = "weight of one token repetition in Anserini TSV (default ${DEFAULT-VALUE})")
    float tsvScale;

    @Option(names = "--dim", defaultValue = "30522", description = "dimension when tokens are numeric ids (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--max-queries", defaultValue = "0", description = "use only the first N queries (0 = all)")
    int maxQueries;

    @Option(names = "--k", defaultValue = "10", description = "hits per query (default ${DEFAULT-VALUE})")
    int k;

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

    @Option(names = "--recall-target", paramLabel = "R",
            description = "tune build and search parameters for recall@k >= R on pseudo-queries drawn from the documents"
                    + " (never the measured queries), instead of the explicit knobs")
    Double recallTarget;

    @Option(names = "--tuning-queries", paramLabel = "SRC",
            description = "with --recall-target: tune on these queries (e.g. a query log) instead of pseudo-queries;"
                    + " any equal to a measured query is left out, so SRC may be the --queries source itself")
    String tuningQueries;

    @Option(names = "--max-tuning-queries", defaultValue = "1000",
            description = "use at most N tuning queries (default ${DEFAULT-VALUE})")
    int maxTuningQueries;

    @Option(names = "--encoding", defaultValue = "F16", description = "forward-index weights: F16 or U8 (default ${DEFAULT-VALUE})")
    WeightEncoding encoding;

    @Option(names = "--threads", defaultValue = "0", description = "threads for build, ground truth and QPS (0 = all cores)")
    int threads;

    @Option(names = "--warmup", defaultValue = "300", description = "warm-up queries before timing each method (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--warmup-ms", defaultValue = "" + Timing.DEFAULT_WARMUP_MILLIS,
            description = "and at least this long, so the JIT has compiled the search loops (default ${DEFAULT-VALUE};"
                    + " shorter is a smoke run: its latencies are not comparable)")
    long warmupMs;

    @Option(names = "--qps-ms", defaultValue = "" + Timing.DEFAULT_QPS_MILLIS,
            description = "each method's QPS pass repeats the queries at least this long (default ${DEFAULT-VALUE})")
    long qpsMs;

    @Option(names = "--exact-latency-queries", defaultValue = "100",
            description = "queries timed single-threaded for exact search (it is slow; default ${DEFAULT-VALUE})")
    int exactLatencyQueries;

    @Option(names = "--sweep-query-cuts", split = ",", defaultValue = "5,8,10,15,20")
    int[] sweepCuts;

    @Option(names = "--sweep-heap-factors", split = ",", defaultValue = "1.0,0.9,0.8,0.7,0.6")
    float[] sweepHeapFactors;

    @Option(names = "--no-sweep", description = "skip the heap_factor / query_cut sweep")
    boolean noSweep;

    @Option(names = "--no-lucene", description = "skip the Lucene baseline")
    boolean noLucene;

    @Option(names = "--save", paramLabel = "DIR", description = "save the Seismic index (and the Lucene index) here and measure opening it")
    Path save;

    @Option(names = "--export-csr", paramLabel = "DIR",
            description = "write the measured documents and queries as BigANN docs.csr and queries.csr into DIR (for the real Seismic)")
    Path exportCsr;

    @Option(names = "--export-only", description = "with --export-csr: write the files and stop (no measurement)")
    boolean exportOnly;

    @Option(names = "--json", paramLabel = "FILE", description = "write the report here")
    Path json;

    @Option(names = "--no-progress", description = "no progress bars")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        OutputPaths.checkFile("--json", json);
        OutputPaths.checkDirectory("--save", save);
        OutputPaths.checkDirectory("--export-csr", exportCsr);
        if (k < 1) {
            throw new BadInputException("--k must be >= 1");
        }
        if (exportOnly && exportCsr == null) {
            throw new BadInputException("--export-only needs --export-csr DIR");
        }
        if (recallTarget != null) {
            rejectKnobsWithRecallTarget();
        } else if (tuningQueries != null) {
            throw new BadInputException("--tuning-queries needs --recall-target R");
        }
        Timing timing = timing();
        int nThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        Bars bars = new Bars(!noProgress);
        BuildParams bp = buildParams(nThreads);
        SearchParams sp = searchParams();
        Vocabulary vocabulary = vocab == null ? null : VectorSources.loadVocabulary(vocab);
        VectorSources.Options opts = new VectorSources.Options(vocabulary, dim, tsvScale);
        SeismicBenchData data = SeismicBenchData.load(docs, queries, opts, maxQueries, encoding, bars);
        ForwardIndex forward = data.forward();
        SparseVector[] qs = data.queries();
        System.err.printf("lsr bench seismic: %,d documents (%.1f nnz/doc), %,d queries, %d threads%n",
                forward.size(), forward.nnz() / (double) forward.size(), qs.length, nThreads);
        if (exportCsr != null) {
            CsrExport.write(exportCsr, forward, qs);
            System.err.println("exported docs.csr and queries.csr to " + exportCsr);
        }
        if (exportOnly) {
            return ExitCodes.OK;
        }

        long tb = System.nanoTime();
        SeismicIndex index;
        TunedIndex tuned = null;
        TuningQueries tuning = null;
        if (recallTarget != null) {
            tuning = tuningQueries == null ? null
                    : TuningQueries.load(tuningQueries, data.options(), qs, maxTuningQueries);
            tuned = SeismicTuning.tune(forward, recallTarget, k, nThreads, tuning == null ? null : tuning.queries(), bars);
            index = tuned.index();
            bp = tuned.build();
            sp = tuned.search();
        } else {
            try (ProgressBar bar = bars.open("seismic build", forward.dim())) {
                index = SeismicBuilder.build(forward, bp, (phase, done, total) -> {
                    if (phase.equals("blocks")) {
                        bar.stepTo(done);
                    }
                });
            }
        }
        double seismicBuild = (System.nanoTime() - tb) / 1e9;

        ExactBaselines exacts = new ExactBaselines(forward, qs, k, nThreads, timing);
        ExactBaselines.Truth truth = exacts.groundTruth(exactLatencyQueries, data.forwardSeconds(), bars);
        SeismicMeasurement.Result seismic = new SeismicMeasurement(index, qs, nThreads)
                .measure(sp, truth.topK(), timing, seismicBuild);
        List<SweepPoint> sweep = noSweep ? List.of()
                : new SeismicSweep(index, qs, truth.topK(), timing).run(sp, sweepCuts, sweepHeapFactors);

        long ti = System.nanoTime();
        InvertedLists lists = exacts.invert();
        double invertSeconds = (System.nanoTime() - ti) / 1e9;
        MethodStats taat = exacts.inverted(lists, invertSeconds, InvertedExactSearcher.Strategy.TAAT, truth.topK());
        MethodStats maxScore = exacts.inverted(lists, invertSeconds, InvertedExactSearcher.Strategy.MAX_SCORE,
                truth.topK());
        lists = null; // the lists can be as large as the forward index: free them before Lucene builds
        MethodStats lucene = noLucene ? null
                : LuceneMeasurement.measure(forward, qs, k, truth.topK(), timing, nThreads, save, bars);
        Map<String, Object> open = save == null ? null : SavedIndexCheck.run(index, save, qs, sp, seismic.hits());

        SeismicBenchReport report = new SeismicBenchReport()
                .method("seismic", seismic.stats())
                // The faster exact strategy of this run is "exact"; both are also reported by name.
                .method("exact", maxScore.p50Nanos() <= taat.p50Nanos() ? maxScore : taat);
        if (lucene != null) {
            report.method("lucene", lucene);
        }
        report.method("exact_maxscore", maxScore)
                .method("exact_taat", taat)
                .method("exact_forward_scan", truth.forwardScan())
                .sweep(sweep)
                .put("docs_source", docs)
                .put("queries_source", queries);
        if (open != null) {
            report.put("open", open);
        }
        if (tuned != null) {
            report.put("tune", SeismicTuning.toMap(tuned, recallTarget, tuning == null ? null : tuning.describe()));
        }
        if (exportCsr != null) {
            report.put("exported_csr", exportCsr.toString());
        }
        Map<String, Object> params = params(bp, sp, nThreads);
        if (tuned != null) {
            params.put("recall_target", recallTarget);
            params.put("tuned", true);
        }
        Map<String, Object> out = report.toMap(params, forward.size(), qs.length);
        SeismicBenchReport.printSummary(out);
        if (json != null) {
            JsonReport.write(json, out);
        }
        return ExitCodes.OK;
    }

    /** The tuner picks every build and search knob: an explicit one beside it would be silently ignored. */
    private void rejectKnobsWithRecallTarget() {
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

    private Timing timing() {
        try {
            return new Timing(warmup, warmupMs, qpsMs);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private BuildParams buildParams(int nThreads) {
        BuildParams bp = BuildParams.defaults().withThreads(nThreads);
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

    private SearchParams searchParams() {
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

    private Map<String, Object> params(BuildParams bp, SearchParams sp, int nThreads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("k", sp.k());
        p.put("query_cut", sp.queryCut());
        p.put("heap_factor", sp.heapFactor());
        p.put("knn", sp.knn());
        p.put("rerank", sp.rerankDepth());
        p.put("pruning", bp.pruning().name().toLowerCase(java.util.Locale.ROOT));
        p.put("n_postings", bp.nPostings());
        p.put("max_fraction", bp.maxFraction());
        p.put("centroid_fraction", bp.centroidFraction());
        p.put("min_cluster_size", bp.minClusterSize());
        p.put("doc_cut", bp.docCut());
        p.put("summary_alpha", bp.summaryAlpha());
        p.put("summary_doc_terms", bp.summaryDocTerms());
        p.put("kappa", bp.kappa());
        p.put("sketch_terms", bp.sketchTerms());
        p.put("encoding", encoding.name());
        p.put("threads", nThreads);
        p.put("warmup", warmup);
        p.put("warmup_ms", warmupMs);
        p.put("qps_ms", qpsMs);
        return p;
    }

    static {
        // AnseriniQueryTsv's default scale is documented on --tsv-scale; keep them in step.
        assert AnseriniQueryTsv.DEFAULT_SCALE == 0.01f;
    }
}
