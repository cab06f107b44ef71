package dev.lsr.eval.cli;

import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.model.ModelRegistry;
import dev.lsr.eval.beir.BeirDataset;
import dev.lsr.eval.beir.BeirLoader;
import dev.lsr.eval.beir.BeirRunner;
import dev.lsr.eval.beir.CollectionBackend;
import dev.lsr.eval.beir.CorpusEncoding;
import dev.lsr.eval.beir.EvalModel;
import dev.lsr.eval.beir.LogitSource;
import dev.lsr.eval.beir.CentringOffsets;
import dev.lsr.eval.beir.ModelAdapter;
import dev.lsr.eval.beir.PreEncoded;
import dev.lsr.eval.beir.RunResult;
import dev.lsr.eval.beir.RunSpec;
import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.eval.report.ComparisonTable;
import dev.lsr.eval.report.HtmlReport;
import dev.lsr.eval.report.JsonReport;
import dev.lsr.eval.report.TrecRunWriter;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr beir}: a BEIR split end to end. Loads and validates the data, encodes the corpus
 * through the on-disk cache (or takes pre-encoded vectors), indexes it into a collection, runs
 * every judged query in each requested setting, and reports trec_eval-exact measures.
 */
@Command(name = "beir", mixinStandardHelpOptions = true,
        description = "Run a BEIR evaluation: encode (cached), index, search every query, measure.")
public final class BeirCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "BEIR directory (corpus.jsonl[.gz], queries.jsonl, qrels/<split>.tsv)")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "qrels split (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--model", description = "model name under $LSR_DATA/models (bert-base-uncased-mlm is imported on first use), a model directory, or an .onnx export")
    String model;

    @Option(names = "--mode", split = ",", description = "approximate|exact|bm25|hybrid, repeatable or comma-separated (default: approximate)")
    List<String> modes = new ArrayList<>();

    @Option(names = "--query-mode", split = ",", description = "full|inference-free, repeatable (default: the model's default; 'pre-encoded' with --queries)")
    List<String> queryModes = new ArrayList<>();

    @Option(names = "--heap-factor", split = ",", description = "approximate search heap factor(s) to sweep")
    List<Double> heapFactors = new ArrayList<>();

    @Option(names = "--query-cut", split = ",", description = "approximate search query cut(s) to sweep")
    List<Integer> queryCuts = new ArrayList<>();

    @Option(names = "--fusion", split = ",", description = "hybrid fusion: rrf|linear (default: the model's hybrid_fusion, else rrf)")
    List<String> fusions = new ArrayList<>();

    @Option(names = "--query-idf-power", description = "inference-free queries weigh each term idf^p (default: the model's query_idf_power, else 1)")
    Double queryIdfPower;

    @Option(names = "--sparse-weight", split = ",", description = "hybrid linear fusion: weight of the min-max normalised sparse score (BM25 gets 1 - w); sweepable (default: the model's hybrid_sparse_weight, else 0.5)")
    List<Double> sparseWeights = new ArrayList<>();

    @Option(names = "--rrf-k", defaultValue = "60", description = "hybrid rrf constant (default: ${DEFAULT-VALUE})")
    int rrfK;

    @Option(names = "--docs", description = "pre-encoded documents (JsonVectorCollection / vector JSONL) instead of encoding")
    Path docsFile;

    @Option(names = "--queries", description = "pre-encoded queries (Anserini TSV or vector JSONL)")
    Path queriesFile;

    @Option(names = "--json", description = "write the report here")
    Path json;

    @Option(names = "--run", description = "write the TREC run file here (several settings: one file each, tagged)")
    Path runFile;

    @Option(names = "--report", description = "write index.html with PNG charts into this directory")
    Path reportDir;

    @Option(names = "--cache", description = "encoding cache directory (default: ~/.cache/lsr/beir)")
    Path cacheDir;

    @Option(names = "--collection", description = "data directory to build the collection 'beir' in and keep it, with the run's model and centring: "
            + "lsr serve --data DIR then searches it alike (default: a temporary directory, deleted)")
    Path collectionDir;

    @Option(names = "--warmup", defaultValue = "50", description = "queries run once before timing each setting (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--lenient", description = "qrels naming unknown documents or queries: warn instead of failing")
    boolean lenient;

    @Option(names = "--doc-top-k", description = "encoder option: keep at most this many terms per document")
    Integer docTopK;

    @Option(names = "--centring-percentile", description = "encoder option: per-term corpus centring percentile (0 = off)")
    Double centringPercentile;

    @Option(names = "--threshold", description = "encoder option: drop document weights below this")
    Double threshold;

    @Option(names = "--centring-fit-docs", description = "with --keep-logits: fit the centring offsets on the first N "
            + "documents of the corpus only, as a collection fits them on the first documents it is given (default: all)")
    Integer centringFitDocs;

    @Option(names = "--keep-logits", description = "cache the model's per-term max logits (float32, vocab x 4 bytes per document) "
            + "and derive the sparse vectors from them, so sparsity settings can be swept without running the model again")
    boolean keepLogits;

    @Option(names = "--query-top-k", description = "keep at most this many terms per full-mode query (default: the encoder's)")
    Integer queryTopK;

    @Option(names = "--query-centring", defaultValue = "none", description = "none|corpus: subtract the documents' centring offsets from full-mode query logits too (default: ${DEFAULT-VALUE})")
    String queryCentring;

    @Option(names = "--prf-weight", split = ",", description = "pseudo-relevance feedback (sparse modes): the expansion's share in [0, 1], sweepable; each weight is a run of its own (default: no PRF)")
    List<Double> prfWeights = new ArrayList<>();

    @Option(names = "--prf-docs", defaultValue = "3", description = "pseudo-relevance feedback: first-pass hits whose vectors expand the query (default: ${DEFAULT-VALUE})")
    int prfDocs;

    @Option(names = "--prf-terms", defaultValue = "20", description = "pseudo-relevance feedback: expansion terms kept (default: ${DEFAULT-VALUE})")
    int prfTerms;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    /** Centring offsets fitted on this run's corpus logits, reused for query centring. */
    private float[] centringOffsets;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        long started = System.nanoTime();
        List<String> modeList = normalise(modes, List.of(RunSpec.APPROXIMATE), Set.of("approximate", "exact", "bm25", "hybrid"), "--mode");
        boolean needVectors = modeList.stream().anyMatch(m -> !m.equals(RunSpec.BM25));
        if (needVectors && model == null && (docsFile == null || queriesFile == null)) {
            throw new BadInputException("--model is required (or both --docs and --queries) for modes other than bm25");
        }
        if ((docsFile == null) != (queriesFile == null) && model == null) {
            throw new BadInputException("--docs and --queries go together when no --model is given");
        }
        if (warmup < 0) {
            throw new BadInputException("--warmup must be >= 0");
        }
        if (centringFitDocs != null && (centringFitDocs < 1 || !keepLogits)) {
            throw new BadInputException("--centring-fit-docs must be >= 1 and needs --keep-logits, got " + centringFitDocs
                    + (keepLogits ? "" : " without --keep-logits"));
        }
        if (queryIdfPower != null && !(queryIdfPower > 0 && queryIdfPower <= 10)) {
            throw new BadInputException("--query-idf-power must be in (0, 10], got " + queryIdfPower);
        }
        BeirDataset ds = new BeirLoader(lenient).load(data, split);
        ds.warnings().forEach(w -> err.println("lsr beir: warning: " + w));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("runs", List.of());
        report.put("dataset", ds.name());
        report.put("split", ds.split());
        report.put("docs", ds.corpus().size());
        report.put("queries", ds.queries().size());

        EvalModel evalModel = null;
        Path dir = null;
        try {
            if (model != null) {
                // With --keep-logits the sparsity options apply to the cached logits, not to the encoder.
                try (ImportProgressBar bar = new ImportProgressBar()) {
                    dir = new ModelRegistry(ModelRegistry.defaultDataDir(), bar).resolve(model);
                } catch (ModelFormatException e) {
                    throw new BadInputException("--model " + model + ": " + e.getMessage(), e);
                }
                applyModelDefaults(dir);
                evalModel = keepLogits ? ModelAdapter.open(dir, null, null, null, null, false, ds, err)
                        : ModelAdapter.open(dir, docTopK, centringPercentile, threshold, queryTopK,
                                queryCentringOn(), ds, err);
                report.put("model", evalModel.describe());
            }
            List<String> qModes = normalise(queryModes,
                    List.of(queriesFile != null ? "pre-encoded" : "full"),
                    Set.of("full", "inference-free", "pre-encoded"), "--query-mode");
            if (qModes.contains("pre-encoded") && queriesFile == null) {
                throw new BadInputException("--query-mode pre-encoded needs --queries");
            }
            if (!qModes.contains("pre-encoded") && queriesFile != null) {
                qModes = List.of("pre-encoded");
            }
            if ((qModes.contains("full") || qModes.contains("inference-free")) && evalModel == null && needVectors) {
                throw new BadInputException("--query-mode " + String.join(",", qModes) + " needs --model");
            }

            // Term ids: the model's vocabulary, or a dictionary of the pre-encoded tokens.
            Map<String, Map<String, Float>> preDocs = docsFile == null ? null : PreEncoded.read(docsFile);
            Map<String, Map<String, Float>> preQueries = queriesFile == null ? null : PreEncoded.read(queriesFile);
            ToIntFunction<String> termIds;
            int dim;
            if (evalModel != null) {
                termIds = evalModel.termIds();
                dim = evalModel.dimension();
            } else if (preDocs != null) {
                Map<String, Integer> dict = PreEncoded.dictionary(preQueries == null ? List.of(preDocs) : List.of(preDocs, preQueries));
                termIds = t -> dict.getOrDefault(t, -1);
                dim = Math.max(1, dict.size());
            } else {
                termIds = t -> -1;
                dim = 1;
            }

            // Everything is read and checked by now: bad input has failed with its one line.
            err.printf("lsr beir: %s/%s: %,d documents, %,d judged queries%n", ds.name(), ds.split(), ds.corpus().size(), ds.queries().size());

            // Document vectors.
            List<SparseVector> docVectors;
            if (!needVectors) {
                docVectors = null;
            } else if (preDocs != null) {
                docVectors = PreEncoded.documentsInCorpusOrder(ds, preDocs, termIds, dim, docsFile);
            } else {
                Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "lsr", "beir");
                CorpusEncoding encoding = new CorpusEncoding(cache, 256, CorpusEncoding.DEFAULT_WINDOW_DOCS, !quiet);
                CorpusEncoding.Outcome enc;
                if (keepLogits) {
                    LogitSource src = logitSource(evalModel);
                    enc = encoding.encodeViaLogits(ds, src, rows -> {
                        float[][] fitRows = centringFitDocs == null ? rows
                                : java.util.Arrays.copyOf(rows, Math.min(centringFitDocs, rows.length));
                        centringOffsets = centringPercentile != null && centringPercentile > 0
                                ? CentringOffsets.fit(fitRows, centringPercentile) : null;
                        float th = threshold == null ? 0f : threshold.floatValue();
                        int k = docTopK == null ? src.defaultDocumentTopK() : docTopK;
                        return row -> src.document(row, centringOffsets, th, k);
                    });
                    Map<String, Object> opts = new LinkedHashMap<>();
                    opts.put("source", "logit cache");
                    opts.put("centring_percentile", centringPercentile == null ? 0 : centringPercentile);
                    opts.put("centring_fit_docs", centringFitDocs == null ? ds.corpus().size()
                            : Math.min(centringFitDocs, ds.corpus().size()));
                    opts.put("threshold", threshold == null ? 0 : threshold);
                    opts.put("doc_top_k", docTopK == null ? src.defaultDocumentTopK() : docTopK);
                    opts.put("query_top_k", queryTopK == null ? "encoder default" : queryTopK);
                    opts.put("query_centring", queryCentring);
                    report.put("sparsity", opts);
                } else {
                    enc = encoding.encode(ds, evalModel.documents());
                }
                docVectors = enc.vectors();
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("cache", enc.cacheDir().toString());
                e.put("docs_encoded_now", enc.encodedNow());
                e.put("docs_from_cache", enc.fromCache());
                e.put("seconds", round(enc.seconds()));
                report.put("encoding", e);
                if (enc.encodedNow() > 0) {
                    report.put("encode_docs_per_s", round(enc.docsPerSecond()));
                    err.printf("lsr beir: encoded %,d documents in %.1f s (%.2f docs/s) into %s%n",
                            enc.encodedNow(), enc.seconds(), enc.docsPerSecond(), enc.cacheDir());
                } else {
                    err.printf("lsr beir: corpus vectors from cache %s (encoder not run)%n", enc.cacheDir());
                }
            }
            if (docVectors != null) {
                long nnz = 0;
                for (SparseVector v : docVectors) {
                    nnz += v.size();
                }
                report.put("doc_terms_mean", round((double) nnz / docVectors.size()));
            }

            Path collection = collectionDir != null ? collectionDir : Files.createTempDirectory("lsr-beir-");
            float[] offsets = keepLogits ? centringOffsets : evalModel != null ? evalModel.termOffsets() : null;
            try (CollectionBackend backend = CollectionBackend.create(collection, evalModel == null ? null : dir, dim, offsets,
                    offsets == null ? null : centringPercentile)) {
                long t0 = System.nanoTime();
                backend.index(ds.corpus(), docVectors);
                report.put("index_seconds", round((System.nanoTime() - t0) / 1e9));

                // Query vectors per query mode.
                Map<String, Map<String, SparseVector>> queryVectors = new LinkedHashMap<>();
                Map<String, Object> queryEncodeUs = new LinkedHashMap<>();
                double idfPower = queryIdfPower != null ? queryIdfPower : evalModel == null ? 1.0 : evalModel.defaultQueryIdfPower();
                if (needVectors) {
                    for (String qm : qModes) {
                        Function<String, SparseVector> enc = switch (qm) {
                            case "full" -> keepLogits ? fullQueriesFromLogits(ds, evalModel) : evalModel::encodeQuery;
                            case "inference-free" -> backend.inferenceFreeQueries(idfPower);
                            default -> null;
                        };
                        Map<String, SparseVector> vs = new LinkedHashMap<>();
                        dev.lsr.eval.report.Latencies lat = new dev.lsr.eval.report.Latencies(ds.queries().size());
                        for (Map.Entry<String, String> q : ds.queries().entrySet()) {
                            if (enc == null) {
                                Map<String, Float> w = preQueries.get(q.getKey());
                                if (w == null) {
                                    throw new BadInputException(queriesFile + ": no vector for judged query " + q.getKey());
                                }
                                vs.put(q.getKey(), PreEncoded.toVector(w, termIds, dim, queriesFile, q.getKey()));
                            } else {
                                long s = System.nanoTime();
                                vs.put(q.getKey(), enc.apply(q.getValue()));
                                if (!(keepLogits && qm.equals("full"))) { // cached logits: no encode time to report
                                    lat.add(System.nanoTime() - s);
                                }
                            }
                        }
                        if (lat.count() > 0) {
                            queryEncodeUs.put(qm, lat.micros());
                        }
                        queryVectors.put(qm, vs);
                    }
                }
                if (!queryEncodeUs.isEmpty()) {
                    report.put("query_encode_us", queryEncodeUs);
                    if (qModes.contains("inference-free")) {
                        report.put("query_idf_power", idfPower);
                    }
                }

                List<RunSpec> specs = specs(modeList, qModes);
                List<RunResult> results = new BeirRunner(ds, backend, queryVectors, warmup).runAll(specs);
                report.put("runs", results.stream().map(BeirCommand::runReport).toList());
                report.put("seconds", round((System.nanoTime() - started) / 1e9));

                err.println();
                ComparisonTable.print(err, results.stream().map(r -> new ComparisonTable.Row(r.spec().label(),
                        r.evaluation().ndcg10(), r.evaluation().recall100(), r.evaluation().recall1000(),
                        r.evaluation().mrr10(), r.evaluation().map1000(), r.recallVsExact10(),
                        r.latencies().percentileNanos(50) / 1e3, r.latencies().percentileNanos(99) / 1e3)).toList());
                writeOutputs(report, results, ds, err);
            } finally {
                if (collectionDir == null) {
                    deleteTree(collection);
                }
            }
        } finally {
            if (evalModel != null) {
                evalModel.close();
            }
        }
        return ExitCodes.OK;
    }

    private void writeOutputs(Map<String, Object> report, List<RunResult> results, BeirDataset ds, PrintStream err) {
        if (json != null) {
            JsonReport.write(json, report);
            err.println("lsr beir: report " + json);
        }
        if (runFile != null) {
            for (int i = 0; i < results.size(); i++) {
                RunResult r = results.get(i);
                Path f = results.size() == 1 ? runFile : taggedSibling(runFile, r.spec().fileTag());
                TrecRunWriter.write(f, r.run(), r.spec().fileTag());
                err.println("lsr beir: run file " + f);
            }
        }
        if (reportDir != null) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("dataset", ds.name() + " / " + ds.split());
            facts.put("documents", ds.corpus().size());
            facts.put("queries", ds.queries().size());
            if (report.get("model") instanceof Map<?, ?> m) {
                facts.put("model", m.get("name"));
            }
            if (report.containsKey("encode_docs_per_s")) {
                facts.put("encode docs/s", report.get("encode_docs_per_s"));
            }
            facts.put("latency", "single-thread search call per query at k=10 after warm-up; query encoding excluded; metrics from a separate k=1000 pass");
            HtmlReport.write(reportDir, "BEIR " + ds.name() + " / " + ds.split(), results, facts);
            err.println("lsr beir: report page " + reportDir.resolve("index.html"));
        }
    }

    /**
     * The model's recommended settings (model.json, {@code ModelInfo.defaults()}) for what was not
     * given: its query mode, its hybrid fusion and weight, and corpus centring at its percentile when the model directory holds no
     * fitted term_offsets.bin. Fitting needs every document's logits, so it goes through the logit
     * cache: the model runs once per corpus, as with {@code --keep-logits}.
     */
    private void applyModelDefaults(Path dir) {
        ModelInfo.Defaults d;
        try {
            d = ModelDirectory.open(dir).defaults();
        } catch (IOException e) {
            throw new BadInputException("--model " + model + ": " + e.getMessage(), e);
        }
        if (queryModes.isEmpty() && queriesFile == null) {
            queryModes = List.of(d.queryModeOrFull());
        }
        if (fusions.isEmpty() && d.hybridFusion() != null) {
            fusions = List.of(d.hybridFusion());
        }
        if (sparseWeights.isEmpty() && d.hybridSparseWeight() != null) {
            sparseWeights = List.of(d.hybridSparseWeight());
        }
        if (centringPercentile == null && d.centring() && d.centringPercentile() != null
                && !Files.isRegularFile(dir.resolve(ModelInfo.TERM_OFFSETS)) && docsFile == null) {
            centringPercentile = d.centringPercentile();
            keepLogits = true;
        }
    }

    private boolean queryCentringOn() {
        if (!queryCentring.equals("none") && !queryCentring.equals("corpus")) {
            throw new BadInputException("--query-centring must be none or corpus, got '" + queryCentring + "'");
        }
        return queryCentring.equals("corpus");
    }

    private LogitSource logitSource(EvalModel m) {
        return m.logits().orElseThrow(() -> new BadInputException("--keep-logits: model " + model + " does not expose its logits"));
    }

    /**
     * Full-mode queries from cached query logits: sparsified like documents (optionally centred by
     * the documents' offsets) and capped at {@code --query-top-k}. The model runs once per query set.
     */
    private Function<String, SparseVector> fullQueriesFromLogits(BeirDataset ds, EvalModel m) {
        if (!queryCentring.equals("none") && !queryCentring.equals("corpus")) {
            throw new BadInputException("--query-centring must be none or corpus, got '" + queryCentring + "'");
        }
        LogitSource src = logitSource(m);
        List<String> texts = new ArrayList<>(ds.queries().values());
        String checksum = dev.lsr.eval.beir.EncodedCorpusCache.key(String.join("\n", texts), "", "queries");
        Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "lsr", "beir");
        // One query per model run, as encodeQuery does: no padding, so the same numbers.
        CorpusEncoding.Logits l = new CorpusEncoding(cache, 256, 1, !quiet).queryLogits("queries " + ds.name(), texts, checksum, src);
        float[] off = queryCentring.equals("corpus") ? centringOffsets : null;
        Map<String, SparseVector> byText = new java.util.HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            byText.put(texts.get(i), src.query(l.rows()[i], off, queryTopK));
        }
        return text -> byText.get(text);
    }

    static Path taggedSibling(Path file, String tag) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return file.resolveSibling(stem + "." + tag + ext);
    }

    private List<RunSpec> specs(List<String> modeList, List<String> qModes) {
        List<RunSpec> plain = plainSpecs(modeList, qModes);
        if (prfWeights.isEmpty()) {
            return plain;
        }
        if (prfDocs < 1 || prfDocs > 100 || prfTerms < 1 || prfTerms > 1000) {
            throw new BadInputException("--prf-docs must be in [1, 100] and --prf-terms in [1, 1000], got " + prfDocs + " and " + prfTerms);
        }
        List<RunSpec> specs = new ArrayList<>();
        for (RunSpec s : plain) {
            specs.add(s);
            if (!s.usesVectors()) {
                continue;
            }
            for (Double w : prfWeights) {
                if (!(w >= 0 && w <= 1)) {
                    throw new BadInputException("--prf-weight must be in [0, 1], got " + w);
                }
                Map<String, Object> p = new LinkedHashMap<>(s.params());
                p.put("prf_docs", prfDocs);
                p.put("prf_terms", prfTerms);
                p.put("prf_weight", w);
                specs.add(new RunSpec(s.mode(), s.queryMode(), p));
            }
        }
        return specs;
    }

    private List<RunSpec> plainSpecs(List<String> modeList, List<String> qModes) {
        List<RunSpec> specs = new ArrayList<>();
        for (String mode : modeList) {
            List<String> qms = mode.equals(RunSpec.BM25) ? List.of("") : qModes;
            for (String qm : qms) {
                switch (mode) {
                    case RunSpec.APPROXIMATE -> {
                        for (Integer cut : orNull(queryCuts)) {
                            for (Double hf : orNull(heapFactors)) {
                                Map<String, Object> p = new LinkedHashMap<>();
                                if (cut != null) {
                                    if (cut < 1) {
                                        throw new BadInputException("--query-cut must be >= 1, got " + cut);
                                    }
                                    p.put("query_cut", cut);
                                }
                                if (hf != null) {
                                    if (!(hf > 0 && hf <= 1)) {
                                        throw new BadInputException("--heap-factor must be in (0, 1], got " + hf);
                                    }
                                    p.put("heap_factor", hf);
                                }
                                specs.add(new RunSpec(mode, qm, p));
                            }
                        }
                    }
                    case RunSpec.HYBRID -> {
                        for (String fusion : fusions.isEmpty() ? List.of("rrf") : fusions) {
                            if (fusion.equals("rrf")) {
                                if (rrfK < 1) {
                                    throw new BadInputException("--rrf-k must be >= 1, got " + rrfK);
                                }
                                Map<String, Object> p = new LinkedHashMap<>();
                                p.put("fusion", "rrf");
                                p.put("rrf_k", rrfK);
                                specs.add(new RunSpec(mode, qm, p));
                            } else if (fusion.equals("linear")) {
                                for (Double w : sparseWeights.isEmpty() ? List.of(0.5) : sparseWeights) {
                                    if (!(w >= 0 && w <= 1)) {
                                        throw new BadInputException("--sparse-weight must be in [0, 1], got " + w);
                                    }
                                    Map<String, Object> p = new LinkedHashMap<>();
                                    p.put("fusion", "linear");
                                    p.put("sparse_weight", w);
                                    specs.add(new RunSpec(mode, qm, p));
                                }
                            } else {
                                throw new BadInputException("--fusion must be rrf or linear, got '" + fusion + "'");
                            }
                        }
                    }
                    default -> specs.add(new RunSpec(mode, qm, Map.of()));
                }
            }
        }
        return specs;
    }

    private static <T> List<T> orNull(List<T> values) {
        List<T> l = new ArrayList<>(values);
        if (l.isEmpty()) {
            l.add(null);
        }
        return l;
    }

    private static List<String> normalise(List<String> given, List<String> dflt, Set<String> allowed, String option) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : given.isEmpty() ? dflt : given) {
            String v = s.strip().toLowerCase(java.util.Locale.ROOT);
            if (!allowed.contains(v)) {
                throw new BadInputException(option + " '" + s + "' is not one of " + String.join("|", new java.util.TreeSet<>(allowed)));
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    static Map<String, Object> runReport(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", r.spec().mode());
        m.put("params", r.spec().reportParams());
        m.put("ndcg@10", round6(r.evaluation().ndcg10()));
        m.put("recall@100", round6(r.evaluation().recall100()));
        m.put("recall@1000", round6(r.evaluation().recall1000()));
        m.put("mrr@10", round6(r.evaluation().mrr10()));
        m.put("map@1000", round6(r.evaluation().map1000()));
        m.put("recall_vs_exact@10", r.recallVsExact10() == null ? null : round6(r.recallVsExact10()));
        m.put("latency_us", r.latencies().micros());
        m.put("latency_k", BeirRunner.LATENCY_K);
        m.put("queries", r.evaluation().queries());
        Map<String, Double> perQuery = new LinkedHashMap<>();
        r.evaluation().perQuery().forEach(q -> perQuery.put(q.queryId(), round6(q.ndcg10())));
        m.put("per_query_ndcg@10", perQuery);
        return m;
    }

    private static double round(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }

    private static double round6(double x) {
        return Math.round(x * 1e6) / 1e6;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
