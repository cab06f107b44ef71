package dev.lsr.eval.cli;

import dev.lsr.eval.bench.Bars;
import dev.lsr.eval.bench.BenchIndex;
import dev.lsr.eval.bench.CsrExport;
import dev.lsr.eval.bench.SeismicBenchData;
import dev.lsr.eval.bench.SeismicBenchReport;
import dev.lsr.eval.bench.SeismicComparison;
import dev.lsr.eval.bench.Timing;
import dev.lsr.eval.bench.TuningQueries;
import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.eval.report.JsonReport;
import dev.lsr.eval.vectors.VectorSources;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.AnseriniQueryTsv;
import dev.lsr.seismic.search.SearchParams;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    SeismicKnobs knobs = new SeismicKnobs();

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
        checkOptions();
        Timing timing = timing();
        int nThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        Bars bars = new Bars(!noProgress);
        BuildParams bp = knobs.buildParams(nThreads);
        SearchParams sp = knobs.searchParams(k);
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

        BenchIndex index;
        if (recallTarget != null) {
            TuningQueries tuning = tuningQueries == null ? null
                    : TuningQueries.load(tuningQueries, data.options(), qs, maxTuningQueries);
            index = BenchIndex.tune(forward, recallTarget, k, nThreads, tuning, bars);
        } else {
            index = BenchIndex.build(forward, bp, sp, bars);
        }
        SeismicBenchReport report = new SeismicComparison(k, nThreads, timing, exactLatencyQueries,
                noSweep ? null : sweepCuts, sweepHeapFactors, !noLucene, save, bars).run(data, index);
        report.put("docs_source", docs).put("queries_source", queries);
        if (index.tuned() != null) {
            report.put("tune", index.tuneReport());
        }
        if (exportCsr != null) {
            report.put("exported_csr", exportCsr.toString());
        }
        Map<String, Object> out = report.toMap(params(index.build(), index.search(), nThreads), forward.size(), qs.length);
        SeismicBenchReport.printSummary(out);
        if (json != null) {
            JsonReport.write(json, out);
        }
        return ExitCodes.OK;
    }

    /** Everything that can be refused without reading a vector. */
    private void checkOptions() {
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
            knobs.rejectWithRecallTarget();
        } else if (tuningQueries != null) {
            throw new BadInputException("--tuning-queries needs --recall-target R");
        }
    }

    private Timing timing() {
        try {
            return new Timing(warmup, warmupMs, qpsMs);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
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
        if (recallTarget != null) {
            p.put("recall_target", recallTarget);
            p.put("tuned", true);
        }
        return p;
    }

    static {
        // AnseriniQueryTsv's default scale is documented on --tsv-scale; keep them in step.
        assert AnseriniQueryTsv.DEFAULT_SCALE == 0.01f;
    }
}
