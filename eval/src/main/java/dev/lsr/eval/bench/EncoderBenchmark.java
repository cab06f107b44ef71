package dev.lsr.eval.bench;

import ai.onnxruntime.OrtException;
import dev.lsr.encoder.DocumentBody;
import dev.lsr.encoder.DocumentHead;
import dev.lsr.encoder.EncodedBatch;
import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.QueryBody;
import dev.lsr.encoder.QueryWeights;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.onnx.OrtBody;
import dev.lsr.encoder.tokenize.TextTokenizer;
import dev.lsr.eval.report.Latencies;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The end-to-end encoder measurements: single-thread query latency (full model and inference-free),
 * document throughput with all threads, and real hidden states for the head benchmark.
 */
public final class EncoderBenchmark {

    /** Query lengths measured, in model input tokens ([CLS] and [SEP] included). */
    static final int QUERY_MIN_TOKENS = 8;
    static final int QUERY_MAX_TOKENS = 16;
    static final int DOC_TOKENS = 256;
    /** Documents whose term statistics give the inference-free IDF table when the model has none. */
    static final int IDF_DOCS = 1000;

    public record Settings(int threads, int queryCount, int docCount, int batchSize, int batchTokens, int workers,
            Path queriesFile, Path corpusFile) {}

    private final Settings s;
    private final PrintStream log;

    public EncoderBenchmark(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    /** The report fragment plus the hidden states of real texts for the head benchmark. */
    public record Result(Map<String, Object> report, List<float[]> hiddenStates) {}

    public Result run(Path modelDir) throws IOException, OrtException {
        ModelInfo info = ModelDirectory.open(modelDir);
        Map<String, Object> r = new LinkedHashMap<>();
        List<String> queries;
        List<String> docs;
        List<String> idfDocs;
        List<float[]> hidden = new ArrayList<>();
        try (TextTokenizer tok = TextTokenizer.open(modelDir.resolve(info.tokenizer()), info.maxTokens(),
                info.lowerCase())) {
            queries = BenchTexts.queries(s.queriesFile(), tok, QUERY_MIN_TOKENS, QUERY_MAX_TOKENS, s.queryCount());
            docs = BenchTexts.documents(s.corpusFile(), tok, DOC_TOKENS, s.docCount());
            if (queries.isEmpty() || docs.isEmpty()) {
                throw new IllegalArgumentException("no usable queries in " + s.queriesFile() + " or documents in "
                        + s.corpusFile());
            }
            idfDocs = BenchTexts.rawDocuments(s.corpusFile(), IDF_DOCS);
            hidden.addAll(hiddenStates(modelDir, tok, docs, queries));
            r.put("query_tokens", QUERY_MIN_TOKENS + "-" + QUERY_MAX_TOKENS);
            r.put("queries", queries.size());
            r.put("doc_tokens_max", DOC_TOKENS);
            r.put("docs", docs.size());
            r.put("doc_tokens_mean", round(docs.stream().mapToInt(d -> tok.encode(d).length()).average().orElse(0)));
        }

        EncoderOptions base = EncoderOptions.defaults(info);
        try (SparseEncoder enc = SparseEncoder.open(modelDir, base.withThreads(1))) {
            String bodyName = enc.usesQueryBody() ? "query body " + info.queryBodyDtype() : "body " + info.bodyDtype();
            Latencies full;
            if (info.hasQueryBody()) {
                // Both bodies timed query by query in one loop, whichever this CPU's default picks.
                SparseEncoder queryBody = enc.withOptions(base.withQueryBody(QueryBody.QUERY));
                SparseEncoder docBody = enc.withOptions(base.withQueryBody(QueryBody.DOCUMENT));
                Latencies[] pair = timeQueries(List.of(queryBody, docBody), queries, "queries (full model, 1 thread, both bodies)");
                full = enc.usesQueryBody() ? pair[0] : pair[1];
                Latencies ref = pair[1];
                r.put("query_body_dtype", info.queryBodyDtype());
                r.put("query_body_default", enc.usesQueryBody() ? "query_body" : "document_body");
                r.put("query_ms_query_body", ordered("p50", pair[0].millis().get("p50"), "p95", pair[0].millis().get("p95")));
                r.put("query_ms_document_body", ordered("p50", ref.millis().get("p50"), "p95", ref.millis().get("p95")));
                log.printf(Locale.ROOT, "query encode, full model on the query body (%s), 1 thread: p50 %.2f ms, p95 %.2f ms%n",
                        info.queryBodyDtype(), pair[0].percentileNanos(50) / 1e6, pair[0].percentileNanos(95) / 1e6);
                log.printf(Locale.ROOT, "query encode, full model on the document body (%s), 1 thread: p50 %.2f ms, p95 %.2f ms%n",
                        info.bodyDtype(), ref.percentileNanos(50) / 1e6, ref.percentileNanos(95) / 1e6);
                Map<String, Object> cos = new LinkedHashMap<>();
                cos.put("raw", cosines(queryBody.withOptions(queryBody.options().withRaw(true)), docBody.withOptions(docBody.options().withRaw(true)), queries));
                cos.put("default", cosines(queryBody, docBody, queries));
                r.put("query_body_cosine_to_document_body", cos);
                log.printf(Locale.ROOT, "query vectors, query body vs document body: cosine raw %s, default %s%n", cos.get("raw"), cos.get("default"));
            } else {
                full = timeQueries(List.of(enc), queries, "queries (full model, 1 thread)")[0];
            }
            r.put("query_ms", ordered("p50", full.millis().get("p50"), "p95", full.millis().get("p95")));
            log.printf(Locale.ROOT, "query encode, full model (%s), 1 thread: p50 %.2f ms, p95 %.2f ms over %d queries of"
                    + " %d-%d tokens%n", bodyName, full.percentileNanos(50) / 1e6, full.percentileNanos(95) / 1e6,
                    queries.size(), QUERY_MIN_TOKENS, QUERY_MAX_TOKENS);

            Path qwFile = modelDir.resolve(ModelInfo.QUERY_WEIGHTS);
            String qwSource;
            SparseEncoder free;
            if (Files.isRegularFile(qwFile)) {
                free = enc.withOptions(base.withQueryMode(dev.lsr.encoder.QueryMode.INFERENCE_FREE));
                qwSource = "model " + ModelInfo.QUERY_WEIGHTS;
            } else {
                free = enc.withOptions(base.withQueryWeights(idf(enc, idfDocs)));
                qwSource = "IDF over " + idfDocs.size() + " documents of " + s.corpusFile().getFileName();
            }
            Latencies lf = timeQueries(List.of(free), queries, "queries (inference-free)")[0];
            Map<String, Object> freeMs = new LinkedHashMap<>();
            freeMs.put("p50", lf.micros().get("p50"));
            freeMs.put("p95", lf.micros().get("p95"));
            r.put("query_us_inference_free", freeMs);
            r.put("query_weights", qwSource);
            log.printf(Locale.ROOT, "query encode, inference-free (%s): p50 %.1f us, p95 %.1f us%n", qwSource,
                    lf.percentileNanos(50) / 1e3, lf.percentileNanos(95) / 1e3);
        }

        try (SparseEncoder enc = SparseEncoder.open(modelDir, base.withThreads(s.threads()).withBatchSize(s.batchSize())
                .withBatchTokens(s.batchTokens()).withDocumentWorkers(s.workers()))) {
            documents(enc, docs, r);
        }
        return new Result(r, hidden);
    }

    /**
     * Document throughput of each body form the model has (body.onnx, and its q8 query body when
     * present), batch by batch in turn so that drift on a shared machine hits them alike; the
     * padding the length buckets leave; and how close the quantised body's vectors are to the fp32
     * body's on these real documents.
     */
    private void documents(SparseEncoder enc, List<String> docs, Map<String, Object> r) {
        List<SparseEncoder> forms = new ArrayList<>();
        forms.add(enc.withOptions(enc.options().withDocumentBody(DocumentBody.BODY)));
        if (enc.info().hasQueryBody()) {
            forms.add(enc.withOptions(enc.options().withDocumentBody(DocumentBody.QUANTISED)));
        }
        int bodies = forms.size();
        int chosen = enc.usesQuantisedDocumentBody() ? 1 : 0;
        // The body documents run by default once more with the other head form, to time the heads
        // end to end on the same windows.
        boolean onnxHead = enc.usesOnnxInt8DocumentHead();
        forms.add(forms.get(chosen).withOptions(forms.get(chosen).options().withDocumentHead(onnxHead ? DocumentHead.FUSED : DocumentHead.ONNX_INT8)));
        int otherHead = forms.size() - 1;
        // The model's choice once more with the other way of using the threads: one batch at a time
        // on all of them, or one batch per worker (data parallelism) with threads / workers each.
        int workers = enc.options().effectiveDocumentWorkers();
        int otherWorkers = workers > 1 ? 1 : s.threads();
        forms.add(forms.get(chosen).withOptions(forms.get(chosen).options().withDocumentWorkers(otherWorkers)));
        int otherWorkerForm = forms.size() - 1;
        int bs = s.batchSize();
        for (SparseEncoder f : forms) {
            // Warm-up: one batch per worker, so each worker's sessions have run (a single batch runs on the caller).
            f.encodeDocuments(docs.subList(0, Math.min(bs * Math.max(2, s.threads()), docs.size())));
        }
        long[] nanos = new long[forms.size()];
        long[] nnz = new long[forms.size()];
        long tokens = 0;
        long padding = 0;
        int truncated = 0;
        List<List<EncodedText>> vectors = new ArrayList<>();
        forms.forEach(f -> vectors.add(new ArrayList<>()));
        // Windows of documents as lsr beir hands them to the model (sorted into length buckets
        // across the window); each window runs on every body in turn, so drift hits them alike.
        int window = dev.lsr.eval.beir.CorpusEncoding.DEFAULT_WINDOW_DOCS;
        try (ProgressBar bar = progress("documents (" + s.threads() + " threads, " + bodies + " bodies, 2 heads, " + (workers == otherWorkers ? 1 : 2) + " worker counts)", docs.size() * forms.size())) {
            for (int i = 0; i < docs.size(); i += window) {
                List<String> batch = docs.subList(i, Math.min(docs.size(), i + window));
                for (int f = 0; f < forms.size(); f++) {
                    long t0 = System.nanoTime();
                    EncodedBatch out = forms.get(f).encodeDocumentBatch(batch, bar::stepBy);
                    nanos[f] += System.nanoTime() - t0;
                    for (EncodedText e : out.documents()) {
                        nnz[f] += e.vector().size();
                    }
                    vectors.get(f).addAll(out.documents());
                    if (f == 0) {
                        tokens += out.tokens();
                        padding += out.paddingTokens();
                        truncated += out.truncated();
                    }
                }
            }
        }
        Map<String, Object> byBody = new LinkedHashMap<>();
        for (int f = 0; f < bodies; f++) {
            String dtype = forms.get(f).documentBodyDtype();
            double sec = nanos[f] / 1e9;
            double dps = docs.size() / sec;
            byBody.put(dtype, round(dps));
            log.printf(Locale.ROOT, "document encode, %s body%s, %d threads on %d worker(s), batches of %d (at most %d slots), <= %d tokens (mean %s): %.2f docs/s"
                    + " (%d docs in %.1f s), %.0f terms per document%n", dtype, f == chosen ? " (the model's choice)" : "",
                    s.threads(), workers, bs, enc.options().batchTokens(), DOC_TOKENS, r.get("doc_tokens_mean"), dps, docs.size(), sec, (double) nnz[f] / docs.size());
        }
        String headName = onnxHead ? ModelInfo.HEAD_ONNX_INT8 : ModelInfo.HEAD_FUSED;
        String otherName = onnxHead ? ModelInfo.HEAD_FUSED : ModelInfo.HEAD_ONNX_INT8;
        Map<String, Object> byHead = new LinkedHashMap<>();
        byHead.put(headName, round(docs.size() / (nanos[chosen] / 1e9)));
        byHead.put(otherName, round(docs.size() / (nanos[otherHead] / 1e9)));
        r.put("doc_head", headName);
        r.put("docs_per_s_by_head", byHead);
        log.printf(Locale.ROOT, "document encode, %s body, by head (%s is the model's choice): %s docs/s%n",
                forms.get(chosen).documentBodyDtype(), headName, byHead);
        if (otherWorkers != workers) {
            Map<String, Object> byWorkers = new LinkedHashMap<>();
            int[] counts = {Math.min(workers, otherWorkers), Math.max(workers, otherWorkers)};
            for (int c : counts) {
                byWorkers.put(String.valueOf(c), round(docs.size() / (nanos[c == workers ? chosen : otherWorkerForm] / 1e9)));
            }
            r.put("docs_per_s_by_workers", byWorkers);
            // Each worker runs ONNX Runtime sessions with threads / workers threads: the same graphs
            // with another thread count, so the vectors should be identical or within float noise.
            List<EncodedText> a = vectors.get(chosen);
            List<EncodedText> b = vectors.get(otherWorkerForm);
            int identical = 0;
            for (int i = 0; i < a.size(); i++) {
                identical += a.get(i).vector().equals(b.get(i).vector()) ? 1 : 0;
            }
            Map<String, Object> same = cosines(a, b);
            same.put("identical", identical);
            same.put("docs", a.size());
            r.put("doc_workers_vectors", same);
            log.printf(Locale.ROOT, "document encode, %s body, %s head, by workers (%d is the default, %d threads each): %s docs/s;"
                    + " vectors identical %d of %d, cosine %s%n", forms.get(chosen).documentBodyDtype(), headName, workers,
                    enc.options().threadsPerDocumentWorker(), byWorkers, identical, a.size(), same);
        }
        {
            int n = Math.min(docs.size(), COSINE_DOCS);
            int fused = onnxHead ? otherHead : chosen;
            int int8 = onnxHead ? chosen : otherHead;
            Map<String, Object> cos = new LinkedHashMap<>();
            cos.put("default", cosines(vectors.get(fused), vectors.get(int8)));
            SparseEncoder rawFused = forms.get(fused).withOptions(forms.get(fused).options().withRaw(true));
            cos.put("raw", cosines(postprocess(rawFused, forms.get(fused).maxLogits(docs.subList(0, n))),
                    postprocess(rawFused, forms.get(int8).maxLogits(docs.subList(0, n)))));
            cos.put("docs", Map.of("default", docs.size(), "raw", n));
            r.put("doc_head_cosine_onnx_int8_to_fused", cos);
            log.printf(Locale.ROOT, "document vectors, onnx-int8 head vs fused head (%s body): cosine %s%n", forms.get(chosen).documentBodyDtype(), cos);
        }
        double padFraction = tokens + padding == 0 ? 0 : (double) padding / (tokens + padding);
        r.put("docs_per_s", byBody.get(forms.get(chosen).documentBodyDtype()));
        r.put("doc_body_dtype", forms.get(chosen).documentBodyDtype());
        r.put("docs_per_s_by_body", byBody);
        r.put("doc_threads", s.threads());
        r.put("doc_workers", workers);
        r.put("doc_threads_per_worker", enc.options().threadsPerDocumentWorker());
        r.put("doc_batch_size", bs);
        r.put("doc_batch_tokens", enc.options().batchTokens());
        r.put("doc_nnz_mean", round((double) nnz[chosen] / docs.size()));
        r.put("doc_padding_fraction", HeadBenchmark.round6(padFraction));
        r.put("doc_window", window);
        r.put("doc_truncated", truncated);
        log.printf(Locale.ROOT, "document batches (length buckets across windows of %d documents): %d real tokens, %d padding"
                + " slots (%.2f%% of the slots run), %d truncated%n", window, tokens, padding, 100 * padFraction, truncated);
        if (bodies > 1) {
            Map<String, Object> cos = new LinkedHashMap<>();
            cos.put("default", cosines(vectors.get(0), vectors.get(1)));
            int n = Math.min(docs.size(), COSINE_DOCS);
            float[][] ref = forms.get(0).maxLogits(docs.subList(0, n));
            float[][] q = forms.get(1).maxLogits(docs.subList(0, n));
            SparseEncoder rawRef = forms.get(0).withOptions(forms.get(0).options().withRaw(true));
            cos.put("raw", cosines(postprocess(rawRef, ref), postprocess(rawRef, q)));
            // What an index of a zero-shot MLM holds: centred at the recommended percentile, offsets
            // fitted on the fp32 logits of these documents and applied to both.
            Double pct = enc.info().defaults().centringPercentile();
            if (pct != null) {
                SparseEncoder centred = forms.get(0).withOptions(forms.get(0).options().withTermOffsets(
                        SparseEncoder.centringOffsets(ref, pct)));
                cos.put("centred", cosines(postprocess(centred, ref), postprocess(centred, q)));
            }
            cos.put("docs", Map.of("default", docs.size(), "raw", n));
            r.put("doc_body_cosine_to_fp32", cos);
            log.printf(Locale.ROOT, "document vectors, %s body vs %s body: cosine %s%n", forms.get(1).documentBodyDtype(),
                    forms.get(0).documentBodyDtype(), cos);
        }
    }

    /** Documents whose raw and centred vectors are compared between the bodies (logits of each kept in memory). */
    static final int COSINE_DOCS = 64;

    private static List<EncodedText> postprocess(SparseEncoder enc, float[][] logits) {
        List<EncodedText> out = new ArrayList<>(logits.length);
        for (float[] row : logits) {
            out.add(new EncodedText(enc.postprocess(row), List.of(), false));
        }
        return out;
    }

    /** Min and mean cosine of paired vectors (an empty pair counts as 1). */
    private static Map<String, Object> cosines(List<EncodedText> a, List<EncodedText> b) {
        double min = 1;
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            double c = cosine(a.get(i).vector(), b.get(i).vector());
            min = Math.min(min, c);
            sum += c;
        }
        return ordered("min", HeadBenchmark.round6(min), "mean", HeadBenchmark.round6(sum / a.size()));
    }

    private static double cosine(dev.lsr.seismic.SparseVector x, dev.lsr.seismic.SparseVector y) {
        double den = Math.sqrt((double) x.dot(x) * y.dot(y));
        return den == 0 ? (x.isEmpty() && y.isEmpty() ? 1 : 0) : x.dot(y) / den;
    }

    /** Hidden states of one 256-token sequence (the longest document, its rows repeated if shorter) and of a few texts. */
    private List<float[]> hiddenStates(Path modelDir, TextTokenizer tok, List<String> docs, List<String> queries)
            throws OrtException, IOException {
        List<float[]> out = new ArrayList<>();
        try (OrtBody body = new OrtBody(modelDir.resolve(ModelInfo.BODY), s.threads())) {
            String longest = docs.stream().max((a, b) -> Integer.compare(tok.encode(a).length(), tok.encode(b).length()))
                    .orElseThrow();
            float[] h = hidden(body, tok, longest);
            int hiddenSize = h.length / tok.encode(longest).length();
            float[] full = new float[DOC_TOKENS * hiddenSize];
            int rows = h.length / hiddenSize;
            for (int t = 0; t < DOC_TOKENS; t++) {
                System.arraycopy(h, (t % rows) * hiddenSize, full, t * hiddenSize, hiddenSize);
            }
            out.add(full);
            for (int i = 0; i < Math.min(4, docs.size()); i++) {
                out.add(hidden(body, tok, docs.get(i)));
            }
            for (int i = 0; i < Math.min(4, queries.size()); i++) {
                out.add(hidden(body, tok, queries.get(i)));
            }
        }
        return out;
    }

    private static float[] hidden(OrtBody body, TextTokenizer tok, String text) throws OrtException {
        long[] ids = tok.encode(text).ids();
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        return body.run(ids, mask, 1, ids.length);
    }

    private static QueryWeights idf(SparseEncoder enc, List<String> docs) {
        // Document frequency of each vocabulary piece over the sample: a collection-IDF table.
        int vocab = enc.info().vocabSize();
        int[] df = new int[vocab];
        try (TextTokenizer tok = TextTokenizer.open(enc.modelDir().resolve(enc.info().tokenizer()),
                enc.info().maxTokens(), enc.info().lowerCase())) {
            for (String d : docs) {
                long[] ids = tok.encode(d).ids();
                long[] u = Arrays.stream(ids).distinct().toArray();
                for (long id : u) {
                    df[(int) id]++;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return QueryWeights.fromDocumentFrequencies(df, docs.size());
    }

    /**
     * Latency of each encoder over the queries; with several encoders each query is timed on all of
     * them in turn, so drift on a shared machine hits them alike.
     */
    private Latencies[] timeQueries(List<SparseEncoder> encs, List<String> queries, String label) {
        // At least 20 queries and 2 s: 20 inference-free queries take under a millisecond, far too
        // little for the JIT (their p50 varied 26-66 us between runs with that warm-up alone).
        QueryTimer.warmUp(i -> encs.forEach(e -> e.encodeQuery(queries.get(i))), queries.size(), Math.min(20, queries.size()));
        Latencies[] lat = new Latencies[encs.size()];
        for (int e = 0; e < lat.length; e++) {
            lat[e] = new Latencies(queries.size());
        }
        try (ProgressBar bar = progress(label, queries.size())) {
            for (String q : queries) {
                for (int e = 0; e < lat.length; e++) {
                    long t0 = System.nanoTime();
                    encs.get(e).encodeQuery(q);
                    lat[e].add(System.nanoTime() - t0);
                }
                bar.step();
            }
        }
        return lat;
    }

    /** Min and mean cosine between the two encoders' query vectors (an empty pair counts as 1). */
    private static Map<String, Object> cosines(SparseEncoder a, SparseEncoder b, List<String> queries) {
        double min = 1;
        double sum = 0;
        for (String q : queries) {
            double c = cosine(a.encodeQuery(q).vector(), b.encodeQuery(q).vector());
            min = Math.min(min, c);
            sum += c;
        }
        return ordered("min", HeadBenchmark.round6(min), "mean", HeadBenchmark.round6(sum / queries.size()));
    }

    private ProgressBar progress(String label, int total) {
        return new ProgressBarBuilder().setTaskName(label).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(log)).setUpdateIntervalMillis(500)
                .continuousUpdate().build();
    }

    /** A map that keeps the report's key order. */
    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
