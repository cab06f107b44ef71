package dev.lsr.eval.cli;

import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.model.ModelRegistry;
import dev.lsr.eval.beir.BeirDataset;
import dev.lsr.eval.beir.BeirLoader;
import dev.lsr.eval.beir.BeirOutputs;
import dev.lsr.eval.beir.BeirRunner;
import dev.lsr.eval.beir.CollectionBackend;
import dev.lsr.eval.beir.CorpusEncoding;
import dev.lsr.eval.beir.EvalModel;
import dev.lsr.eval.beir.LogitSource;
import dev.lsr.eval.beir.CentringOffsets;
import dev.lsr.eval.beir.ModelAdapter;
import dev.lsr.eval.beir.PreEncoded;
import dev.lsr.eval.beir.QueryVectors;
import dev.lsr.eval.beir.RunPlan;
import dev.lsr.eval.beir.RunResult;
import dev.lsr.eval.beir.RunSpec;
import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.lucene.util.IOUtils;
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

    @Option(names = "--mode", split = ",", description = "approximate|exact|bm25|hybrid, repeatable or comma-separated (default: the model's "
            + "recommended search, as the service runs a request without a mode: hybrid when model.json recommends a fusion, "
            + "as the default model does, else approximate)")
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
            + "lsr serve --data DIR then searches it alike; DIR must not hold one named 'beir' yet (default: a temporary directory, deleted)")
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

    /** Term ids and the dimension of the run's vectors. */
    private record TermSpace(ToIntFunction<String> ids, int dimension) {}

    /** Whether the model recommends hybrid search (a fusion in model.json): then it is the default mode. */
    private boolean recommendsHybrid;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        long started = System.nanoTime();
        List<String> modeList = normalise(modes, List.of(RunSpec.APPROXIMATE), Set.of("approximate", "exact", "bm25", "hybrid"), "--mode");
        boolean needVectors = modeList.stream().anyMatch(m -> !m.equals(RunSpec.BM25));
        checkOptions(needVectors);
        RunPlan plan = plan(); // every sweep value checked before the dataset is read
        BeirDataset ds = new BeirLoader(lenient).load(data, split);
        ds.warnings().forEach(w -> err.println("lsr beir: warning: " + w));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("runs", List.of());
        report.put("dataset", ds.name());
        report.put("split", ds.split());
        report.put("docs", ds.corpus().size());
        report.put("queries", ds.queries().size());

        Path dir = model == null ? null : resolveModel();
        if (dir != null) {
            // Again with the model's recommended fusion and weight where none was given (a plan made
            // only before them ran rrf where the model recommends linear 0.4).
            plan = plan();
        }
        if (modes.isEmpty() && recommendsHybrid) {
            // Both defaults need vectors, so the checks above hold for either.
            modeList = List.of(RunSpec.HYBRID);
        }
        try (EvalModel evalModel = dir == null ? null : openModel(dir, ds, err)) {
            if (evalModel != null) {
                report.put("model", evalModel.describe());
            }
            List<String> qModes = queryModes(evalModel, needVectors);
            Map<String, Map<String, Float>> preDocs = docsFile == null ? null : PreEncoded.read(docsFile);
            Map<String, Map<String, Float>> preQueries = queriesFile == null ? null : PreEncoded.read(queriesFile);
            TermSpace terms = termSpace(evalModel, preDocs, preQueries);
            // Runs are planned before any work, so that a bad combination fails with its one line first.
            List<RunSpec> specs = plan.specs(modeList, qModes);

            // Everything is read and checked by now: bad input has failed with its one line.
            err.printf("lsr beir: %s/%s: %,d documents, %,d judged queries%n", ds.name(), ds.split(), ds.corpus().size(), ds.queries().size());
            List<SparseVector> docVectors = !needVectors ? null
                    : preDocs != null ? PreEncoded.documentsInCorpusOrder(ds, preDocs, terms.ids(), terms.dimension(), docsFile)
                    : encodeCorpus(ds, evalModel, report, err);
            if (docVectors != null) {
                report.put("doc_terms_mean", round((double) docVectors.stream().mapToLong(SparseVector::size).sum()
                        / docVectors.size()));
            }

            Path collection = collectionDir != null ? collectionDir : Files.createTempDirectory("lsr-beir-");
            float[] offsets = keepLogits ? centringOffsets : evalModel != null ? evalModel.termOffsets() : null;
            try (CollectionBackend backend = CollectionBackend.create(collection, dir, terms.dimension(), offsets,
                    offsets == null ? null : centringPercentile)) {
                long t0 = System.nanoTime();
                backend.index(ds.corpus(), docVectors);
                report.put("index_seconds", round((System.nanoTime() - t0) / 1e9));

                double idfPower = queryIdfPower != null ? queryIdfPower : evalModel == null ? 1.0 : evalModel.defaultQueryIdfPower();
                QueryVectors queries = QueryVectors.encode(ds,
                        needVectors ? querySources(qModes, ds, evalModel, backend, idfPower, preQueries, terms) : Map.of());
                if (!queries.encodeMicros().isEmpty()) {
                    report.put("query_encode_us", queries.encodeMicros());
                    if (qModes.contains("inference-free")) {
                        report.put("query_idf_power", idfPower);
                    }
                }

                List<RunResult> results = new BeirRunner(ds, backend, queries.byMode(), warmup).runAll(specs);
                report.put("runs", results.stream().map(BeirOutputs::runReport).toList());
                report.put("seconds", round((System.nanoTime() - started) / 1e9));
                new BeirOutputs(json, runFile, reportDir).write(report, results, ds, err);
            } finally {
                if (collectionDir == null) {
                    try {
                        IOUtils.rm(collection);
                    } catch (IOException e) {
                        err.println("lsr beir: note: could not delete the temporary collection " + collection + ": " + e.getMessage());
                    }
                }
            }
        }
        return ExitCodes.OK;
    }

    private RunPlan plan() {
        return new RunPlan(queryCuts, heapFactors, fusions, rrfK, sparseWeights, prfWeights, prfDocs, prfTerms);
    }

    /** The checks that need no file read: they fail before the dataset is loaded. */
    private void checkOptions(boolean needVectors) {
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
        queryCentringOn(); // checks --query-centring
        OutputPaths.checkFile("--json", json);
        OutputPaths.checkFile("--run", runFile);
        OutputPaths.checkDirectory("--report", reportDir);
        OutputPaths.checkDirectory("--cache", cacheDir);
        OutputPaths.checkDirectory("--collection", collectionDir);
        if (collectionDir != null) {
            Path kept = collectionDir.resolve(CollectionBackend.NAME);
            if (Files.exists(kept)) {
                throw new BadInputException("--collection " + collectionDir + " already holds a collection '"
                        + CollectionBackend.NAME + "' (" + kept + "): give another data directory or remove it");
            }
        }
    }

    /** The model directory {@code --model} names, imported on first use; its defaults fill unset options. */
    private Path resolveModel() throws IOException {
        Path dir;
        try (ImportProgressBar bar = new ImportProgressBar()) {
            dir = new ModelRegistry(ModelRegistry.defaultDataDir(), bar).resolve(model);
        } catch (ModelFormatException e) {
            throw new BadInputException("--model " + model + ": " + e.getMessage(), e);
        }
        applyModelDefaults(dir);
        return dir;
    }

    private EvalModel openModel(Path dir, BeirDataset ds, PrintStream err) throws IOException {
        // With --keep-logits the sparsity options apply to the cached logits, not to the encoder.
        return keepLogits ? ModelAdapter.open(dir, null, null, null, null, false, ds, err)
                : ModelAdapter.open(dir, docTopK, centringPercentile, threshold, queryTopK, queryCentringOn(), ds, err);
    }

    private List<String> queryModes(EvalModel evalModel, boolean needVectors) {
        List<String> qModes = normalise(queryModes, List.of(queriesFile != null ? "pre-encoded" : "full"),
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
        return qModes;
    }

    /** Term ids: the model's vocabulary, or a dictionary of the pre-encoded tokens. */
    private static TermSpace termSpace(EvalModel evalModel, Map<String, Map<String, Float>> preDocs,
            Map<String, Map<String, Float>> preQueries) {
        if (evalModel != null) {
            return new TermSpace(evalModel.termIds(), evalModel.dimension());
        }
        if (preDocs != null) {
            Map<String, Integer> dict = PreEncoded.dictionary(preQueries == null ? List.of(preDocs) : List.of(preDocs, preQueries));
            return new TermSpace(t -> dict.getOrDefault(t, -1), Math.max(1, dict.size()));
        }
        return new TermSpace(t -> -1, 1);
    }

    /**
     * The corpus through the model and the encoding cache; with {@code --keep-logits} through the
     * logit cache, fitting the centring offsets on its rows. Reports what was encoded and how.
     */
    private List<SparseVector> encodeCorpus(BeirDataset ds, EvalModel evalModel, Map<String, Object> report, PrintStream err) {
        CorpusEncoding encoding = new CorpusEncoding(cache(), 256, CorpusEncoding.DEFAULT_WINDOW_DOCS, !quiet);
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
        return enc.vectors();
    }

    /** How each query mode gets its vectors: the model, the collection's inference-free encoder, or --queries. */
    private Map<String, QueryVectors.Source> querySources(List<String> qModes, BeirDataset ds, EvalModel evalModel,
            CollectionBackend backend, double idfPower, Map<String, Map<String, Float>> preQueries, TermSpace terms) {
        Map<String, QueryVectors.Source> sources = new LinkedHashMap<>();
        for (String qm : qModes) {
            sources.put(qm, switch (qm) {
                // Cached logits: no encode time to report.
                case "full" -> keepLogits ? untimed(fullQueriesFromLogits(ds, evalModel))
                        : new QueryVectors.Source((id, text) -> evalModel.encodeQuery(text), true);
                case "inference-free" -> {
                    Function<String, SparseVector> f = backend.inferenceFreeQueries(idfPower);
                    yield new QueryVectors.Source((id, text) -> f.apply(text), true);
                }
                default -> new QueryVectors.Source((id, text) -> {
                    Map<String, Float> w = preQueries.get(id);
                    if (w == null) {
                        throw new BadInputException(queriesFile + ": no vector for judged query " + id);
                    }
                    return PreEncoded.toVector(w, terms.ids(), terms.dimension(), queriesFile, id);
                }, false);
            });
        }
        return sources;
    }

    private static QueryVectors.Source untimed(Function<String, SparseVector> byText) {
        return new QueryVectors.Source((id, text) -> byText.apply(text), false);
    }

    private Path cache() {
        return cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "lsr", "beir");
    }

    /**
     * The model's recommended settings (model.json, {@code ModelInfo.defaults()}) for what was not
     * given: its search mode (hybrid when it recommends a fusion), its query mode, its hybrid fusion and weight, and corpus centring at its percentile when the model directory holds no
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
        recommendsHybrid = d.hybridFusion() != null;
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
        LogitSource src = logitSource(m);
        List<String> texts = new ArrayList<>(ds.queries().values());
        String checksum = dev.lsr.eval.beir.EncodedCorpusCache.key(String.join("\n", texts), "", "queries");
        // One query per model run, as encodeQuery does: no padding, so the same numbers.
        CorpusEncoding.Logits l = new CorpusEncoding(cache(), 256, 1, !quiet).queryLogits("queries " + ds.name(), texts, checksum, src);
        float[] off = queryCentring.equals("corpus") ? centringOffsets : null;
        Map<String, SparseVector> byText = new java.util.HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            byText.put(texts.get(i), src.query(l.rows()[i], off, queryTopK));
        }
        return text -> byText.get(text);
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

    private static double round(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }
}
