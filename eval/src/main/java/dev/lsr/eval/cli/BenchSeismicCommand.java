package dev.lsr.eval.cli;

import dev.lsr.eval.bench.Bars;
import dev.lsr.eval.bench.LuceneBaseline;
import dev.lsr.eval.bench.QueryTimer;
import dev.lsr.eval.bench.Recall;
import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.eval.report.JsonReport;
import dev.lsr.eval.report.Latencies;
import dev.lsr.eval.vectors.VectorSources;
import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.AnseriniQueryTsv;
import dev.lsr.seismic.io.IdVector;
import dev.lsr.seismic.search.ExactSearcher;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import dev.lsr.seismic.store.SeismicFormat;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr bench seismic}: Seismic vs exact forward-index search vs Lucene FeatureField impacts,
 * measured in one run on the same vectors (DESIGN.md's report shape).
 */
@Command(name = "seismic", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark the Seismic index against exact search and Lucene FeatureField impacts, on the same vectors.")
public final class BenchSeismicCommand implements Callable<Integer> {

    @Option(names = "--docs", required = true, paramLabel = "SRC",
            description = "documents: synthetic:N[:seed], .csr, .jsonl[.gz] (JsonVectorCollection / vector JSONL)")
    String docs;

    @Option(names = "--queries", required = true, paramLabel = "SRC",
            description = "queries: synthetic:N[:seed], Anserini .tsv[.gz], .jsonl[.gz], .csr")
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

    @Option(names = "--encoding", defaultValue = "F16", description = "forward-index weights: F16 or U8 (default ${DEFAULT-VALUE})")
    WeightEncoding encoding;

    @Option(names = "--threads", defaultValue = "0", description = "threads for build, ground truth and QPS (0 = all cores)")
    int threads;

    @Option(names = "--warmup", defaultValue = "300", description = "warm-up queries before timing each method, and at least 2 s (default ${DEFAULT-VALUE})")
    int warmup;

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

    @Option(names = "--json", paramLabel = "FILE", description = "write the report here")
    Path json;

    @Option(names = "--no-progress", description = "no progress bars")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new BadInputException("--k must be >= 1");
        }
        int nThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        Bars bars = new Bars(!noProgress);
        BuildParams bp = buildParams(nThreads);
        SearchParams sp = searchParams();
        Vocabulary vocabulary = vocab == null ? null : VectorSources.loadVocabulary(vocab);
        VectorSources.Options opts = new VectorSources.Options(vocabulary, dim, tsvScale).forDocuments(docs);

        List<IdVector> qlist = VectorSources.load(queries, VectorSources.Role.QUERIES, opts);
        if (maxQueries > 0 && qlist.size() > maxQueries) {
            qlist = qlist.subList(0, maxQueries);
        }
        if (qlist.isEmpty()) {
            throw new BadInputException(queries + ": no queries");
        }
        SparseVector[] qs = qlist.stream().map(IdVector::vector).toArray(SparseVector[]::new);
        int nq = qs.length;

        // Documents -> forward index (the vectors every method sees).
        int docDim = VectorSources.dim(docs, opts);
        long t0 = System.nanoTime();
        ForwardIndex.Builder fb = ForwardIndex.builder(docDim, encoding);
        long expectedDocs = dev.lsr.seismic.io.GeneratedCollection.isSpec(docs)
                ? dev.lsr.seismic.io.GeneratedCollection.parse(docs).size() : -1;
        try (ProgressBar bar = bars.open("docs", expectedDocs)) {
            VectorSources.stream(docs, VectorSources.Role.DOCUMENTS, opts, (id, v) -> {
                fb.add(v);
                if ((fb.size() & 4095) == 0) {
                    bar.stepTo(fb.size());
                }
            });
            bar.stepTo(fb.size());
        }
        ForwardIndex forward = fb.build();
        double forwardSeconds = (System.nanoTime() - t0) / 1e9;
        if (forward.size() == 0) {
            throw new BadInputException(docs + ": no documents");
        }
        System.err.printf("lsr bench seismic: %,d documents (%.1f nnz/doc), %,d queries, %d threads%n",
                forward.size(), forward.nnz() / (double) forward.size(), nq, nThreads);

        // Seismic build.
        long tb = System.nanoTime();
        SeismicIndex index;
        try (ProgressBar bar = bars.open("seismic build", forward.dim())) {
            index = SeismicBuilder.build(forward, bp, (phase, done, total) -> {
                if (phase.equals("blocks")) {
                    bar.stepTo(done);
                }
            });
        }
        double seismicBuild = (System.nanoTime() - tb) / 1e9;

        // Ground truth: exact top-k of every query, in parallel (also gives exact QPS with all cores).
        int kTruth = Math.max(k, 10);
        int[][] truth = new int[nq][];
        AtomicInteger nextQ = new AtomicInteger();
        long tg = System.nanoTime();
        try (ProgressBar bar = bars.open("exact ground truth", nq)) {
            IntStream.range(0, nThreads).parallel().forEach(t -> {
                ExactSearcher ex = index.newExactSearcher();
                int[] o = new int[kTruth];
                float[] s = new float[kTruth];
                int i;
                while ((i = nextQ.getAndIncrement()) < nq) {
                    int h = ex.search(qs[i], SearchParams.defaults().withK(kTruth), null, o, s);
                    truth[i] = Arrays.copyOf(o, h);
                    bar.step();
                }
            });
        }
        double exactQps = nq / ((System.nanoTime() - tg) / 1e9);
        int exactTimed = Math.min(nq, Math.max(1, exactLatencyQueries));
        ExactSearcher exSingle = index.newExactSearcher();
        int[] eo = new int[k];
        float[] es = new float[k];
        Latencies exactLat = QueryTimer.latency(i -> exSingle.search(qs[i], sp, null, eo, es), exactTimed,
                Math.min(exactTimed, 5));

        // Seismic at the chosen parameters.
        SeismicSearcher searcher = index.newSearcher();
        int[][] got = new int[nq][];
        int[] so = new int[k];
        float[] ss = new float[k];
        long docs0 = searcher.docsScored();
        long blocks0 = searcher.blocksScored();
        int[] runs = {0};
        Latencies seismicLat = QueryTimer.latency(i -> {
            int h = searcher.search(qs[i], sp, null, so, ss);
            got[i] = Arrays.copyOf(so, h);
            runs[0]++;
        }, nq, warmup);
        double docsPerQuery = (searcher.docsScored() - docs0) / (double) runs[0];
        double blocksPerQuery = (searcher.blocksScored() - blocks0) / (double) runs[0];
        double seismicRecall = Recall.at(truth, got, 10);
        double seismicQps = QueryTimer.qps(() -> {
            SeismicSearcher s = index.newSearcher();
            int[] o = new int[k];
            float[] sc = new float[k];
            return i -> s.search(qs[i], sp, null, o, sc);
        }, nq, nThreads, 2.0);

        List<Map<String, Object>> sweep = noSweep ? List.of() : sweep(index, qs, truth);

        Map<String, Object> lucene = null;
        double lucenePts = Double.NaN;
        if (!noLucene) {
            Path lucenePath = save != null ? save.resolve("lucene") : Files.createTempDirectory("lsr-bench-lucene");
            long tl = System.nanoTime();
            LuceneBaseline lb;
            try (ProgressBar bar = bars.open("lucene index", forward.size())) {
                lb = LuceneBaseline.build(forward, lucenePath, nThreads, bar::stepBy);
            }
            double luceneBuild = (System.nanoTime() - tl) / 1e9;
            try (lb) {
                Query[] lq = Arrays.stream(qs).map(LuceneBaseline::query).toArray(Query[]::new);
                Latencies luceneLat = QueryTimer.latency(i -> lb.search(lq[i], k), nq, warmup);
                int[][] lgot = new int[nq][];
                for (int i = 0; i < nq; i++) {
                    TopDocs td = lb.search(lq[i], k);
                    lgot[i] = lb.ordinals(td);
                }
                double luceneQps = QueryTimer.qps(() -> i -> lb.search(lq[i], k), nq, nThreads, 2.0);
                lucene = method(Recall.at(truth, lgot, 10), luceneLat, luceneQps, luceneBuild, lb.bytes());
                lucene.put("segments", lb.segments());
                lucenePts = luceneLat.percentileNanos(50);
            }
            if (save == null) {
                deleteTree(lucenePath);
            }
        }

        Map<String, Object> open = save == null ? null : saveAndOpen(index, qs, sp, got);

        Map<String, Object> seismic = method(seismicRecall, seismicLat, seismicQps, seismicBuild, index.bytes());
        seismic.put("forward_bytes", forward.bytes());
        seismic.put("index_to_forward_ratio", round(index.bytes() / (double) forward.bytes()));
        seismic.put("blocks", index.blockCount());
        seismic.put("postings", index.postingCount());
        seismic.put("summary_entries", index.summaryEntryCount());
        seismic.put("docs_scored_per_query", round(docsPerQuery));
        seismic.put("blocks_scored_per_query", round(blocksPerQuery));
        Map<String, Object> exact = method(1.0, exactLat, exactQps, forwardSeconds, forward.bytes());
        exact.put("latency_queries", exactTimed);
        exact.put("build_note", "build_s is reading/generating the documents into the forward index");

        Map<String, Object> methods = new LinkedHashMap<>();
        methods.put("seismic", seismic);
        methods.put("exact", exact);
        if (lucene != null) {
            methods.put("lucene", lucene);
        }
        double sp50 = seismicLat.percentileNanos(50);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("methods", methods);
        report.put("speedup_vs_exact", round(exactLat.percentileNanos(50) / sp50));
        report.put("speedup_vs_lucene", lucene == null ? null : round(lucenePts / sp50));
        report.put("params", params(bp, sp, nThreads));
        report.put("docs", forward.size());
        report.put("queries", nq);
        report.put("docs_source", docs);
        report.put("queries_source", queries);
        if (!sweep.isEmpty()) {
            report.put("sweep", sweep);
        }
        if (open != null) {
            report.put("open", open);
        }
        report.put("machine", machine());
        summary(report, seismicLat, exactLat, lucene);
        if (json != null) {
            JsonReport.write(json, report);
        }
        return ExitCodes.OK;
    }

    private BuildParams buildParams(int nThreads) {
        BuildParams bp = BuildParams.defaults().withThreads(nThreads);
        try {
            if (nPostings != null) {
                bp = bp.withNPostings(nPostings);
            }
            if (fixedPostings) {
                bp = bp.withPruning(BuildParams.Pruning.FIXED);
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
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        return sp;
    }

    private List<Map<String, Object>> sweep(SeismicIndex index, SparseVector[] qs, int[][] truth) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        SeismicSearcher s = index.newSearcher();
        int nq = qs.length;
        int[] o = new int[k];
        float[] sc = new float[k];
        System.err.println();
        System.err.println("sweep (single thread, k=" + k + "): recall@10 vs latency");
        System.err.printf("%9s %11s %10s %9s %9s %9s %10s%n", "query_cut", "heap_factor", "recall@10", "p50_us", "p95_us", "p99_us", "docs/query");
        for (int cut : sweepCuts) {
            for (float hf : sweepHeapFactors) {
                SearchParams p = searchParams().withQueryCut(cut).withHeapFactor(hf);
                int[][] got = new int[nq][];
                long d0 = s.docsScored();
                int[] runs = {0};
                // The JIT is warm by now (the main measurement ran first): a short warm-up per setting.
                Latencies lat = QueryTimer.latency(i -> {
                    int h = s.search(qs[i], p, null, o, sc);
                    got[i] = Arrays.copyOf(o, h);
                    runs[0]++;
                }, nq, Math.min(nq, 100), 0.25);
                double docsQ = (s.docsScored() - d0) / (double) runs[0];
                double r = Recall.at(truth, got, 10);
                Map<String, Double> us = lat.micros();
                System.err.printf("%9d %11.2f %10.4f %9.1f %9.1f %9.1f %10.0f%n", cut, hf, r, us.get("p50"), us.get("p95"), us.get("p99"), docsQ);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("query_cut", cut);
                row.put("heap_factor", hf);
                row.put("recall@10", round(r));
                row.put("latency_us", us);
                row.put("docs_scored_per_query", round(docsQ));
                rows.add(row);
            }
        }
        return rows;
    }

    /** Saves the index, then opens it by memory mapping and reports time, heap growth and agreement. */
    private Map<String, Object> saveAndOpen(SeismicIndex index, SparseVector[] qs, SearchParams sp, int[][] got) throws Exception {
        Files.createDirectories(save);
        Path file = save.resolve("seismic.idx");
        long ts = System.nanoTime();
        SeismicFormat.save(index, file);
        double saveSeconds = (System.nanoTime() - ts) / 1e9;
        var mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Arena arena = Arena.ofShared()) {
            long to = System.nanoTime();
            SeismicIndex opened = SeismicFormat.open(file, arena);
            double openSeconds = (System.nanoTime() - to) / 1e9;
            System.gc();
            long heapAfter = mem.getHeapMemoryUsage().getUsed();
            SeismicSearcher s = opened.newSearcher();
            int[] o = new int[k];
            float[] sc = new float[k];
            int same = 0;
            for (int i = 0; i < qs.length; i++) {
                int h = s.search(qs[i], sp, null, o, sc);
                same += Arrays.equals(Arrays.copyOf(o, h), got[i]) ? 1 : 0;
            }
            out.put("file", file.toString());
            out.put("file_bytes", Files.size(file));
            out.put("save_s", round(saveSeconds));
            out.put("open_s", round(openSeconds));
            out.put("open_includes_checksum", true);
            out.put("heap_delta_bytes", heapAfter - heapBefore);
            out.put("queries_identical", same);
        }
        return out;
    }

    private static Map<String, Object> method(double recall, Latencies lat, double qps, double buildS, long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recall@10", round(recall));
        m.put("latency_us", lat.micros());
        m.put("qps", round(qps));
        m.put("build_s", round(buildS));
        m.put("index_bytes", bytes);
        return m;
    }

    private Map<String, Object> params(BuildParams bp, SearchParams sp, int nThreads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("k", sp.k());
        p.put("query_cut", sp.queryCut());
        p.put("heap_factor", sp.heapFactor());
        p.put("knn", sp.knn());
        p.put("pruning", bp.pruning().name().toLowerCase(java.util.Locale.ROOT));
        p.put("n_postings", bp.nPostings());
        p.put("max_fraction", bp.maxFraction());
        p.put("centroid_fraction", bp.centroidFraction());
        p.put("min_cluster_size", bp.minClusterSize());
        p.put("doc_cut", bp.docCut());
        p.put("summary_alpha", bp.summaryAlpha());
        p.put("summary_doc_terms", bp.summaryDocTerms());
        p.put("kappa", bp.kappa());
        p.put("encoding", encoding.name());
        p.put("threads", nThreads);
        p.put("warmup", warmup);
        return p;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("load_average", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        m.put("java", Runtime.version().toString());
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        return m;
    }

    @SuppressWarnings("unchecked")
    private void summary(Map<String, Object> report, Latencies seismic, Latencies exact, Map<String, Object> lucene) {
        Map<String, Object> methods = (Map<String, Object>) report.get("methods");
        System.err.println();
        System.err.printf("%-8s %10s %10s %10s %10s %12s %9s %14s%n", "method", "recall@10", "p50_us", "p95_us", "p99_us", "qps", "build_s", "index_bytes");
        for (Map.Entry<String, Object> e : methods.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            Map<String, Double> l = (Map<String, Double>) m.get("latency_us");
            System.err.printf("%-8s %10.4f %10.1f %10.1f %10.1f %12.1f %9.2f %,14d%n", e.getKey(), (Double) m.get("recall@10"),
                    l.get("p50"), l.get("p95"), l.get("p99"), (Double) m.get("qps"), (Double) m.get("build_s"), (Long) m.get("index_bytes"));
        }
        System.err.printf("speedup at p50: %.1fx vs exact, %s vs lucene; seismic index = %.3fx forward index%n",
                (Double) report.get("speedup_vs_exact"),
                report.get("speedup_vs_lucene") == null ? "n/a" : String.format("%.1fx", (Double) report.get("speedup_vs_lucene")),
                (Double) ((Map<String, Object>) methods.get("seismic")).get("index_to_forward_ratio"));
        if (report.get("open") instanceof Map<?, ?> open) {
            System.err.printf("saved index: %,d bytes; open %.3f s (with checksum), heap delta %,d bytes, %s/%d queries identical%n",
                    (Long) open.get("file_bytes"), (Double) open.get("open_s"), (Long) open.get("heap_delta_bytes"),
                    open.get("queries_identical"), (Integer) report.get("queries"));
        }
    }

    private static double round(double x) {
        return Math.round(x * 10000.0) / 10000.0;
    }

    private static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("note: could not delete " + p + ": " + e.getMessage());
        }
    }

    static {
        // AnseriniQueryTsv's default scale is documented on --tsv-scale; keep them in step.
        assert AnseriniQueryTsv.DEFAULT_SCALE == 0.01f;
    }
}
