package dev.lsr.encoder;

import ai.onnxruntime.OrtException;
import dev.lsr.encoder.head.FusedHead;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.head.HeadWeights;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.onnx.IntegerProducts;
import dev.lsr.encoder.onnx.LazyOnnxInt8Head;
import dev.lsr.encoder.onnx.LazyOrtBody;
import dev.lsr.encoder.onnx.OrtBody;
import dev.lsr.encoder.tokenize.TextTokenizer;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text to {@link SparseVector}: tokenizer, ONNX Runtime body, fused head, then
 * {@code log1p(relu(.))} and pruning as set by {@link EncoderOptions}. Full-mode queries run the
 * model's query body ({@value ModelInfo#QUERY_BODY}, a q8 copy of the body) when it has one and it
 * is the faster body on this CPU ({@link QueryBody}), and
 * documents do too when model.json's {@code document_body_dtype} says so (int8 compute is faster on
 * document batches, and close to fp32); {@link DocumentBody} overrides that. Document batches run on
 * {@link EncoderOptions#effectiveDocumentWorkers()} workers at once (one per thread by default, each
 * with one-thread sessions), the vectors in input order and the same as on one worker. Thread-safe;
 * close it to free the ONNX sessions and threads ({@link #withOptions} views share them and are closed
 * with their parent).
 */
public final class SparseEncoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparseEncoder.class);

    /** The loaded model, shared by option views. */
    private record Runtime(Path dir, ModelInfo info, Vocabulary vocabulary, TextTokenizer tokenizer, IntegerProducts products,
            LazyOrtBody body, LazyOrtBody bodyForQueries, LazyOrtBody queryBody, HeadWeights headWeights, FusedHead head, FusedHead singleThreadHead, LazyOnnxInt8Head onnxHead,
            boolean[] punctuation, boolean[] special, float[] fileOffsets, QueryWeights fileQueryWeights, ExecutorService workers) {}

    private final Runtime rt;
    private final EncoderOptions options;
    private final float[] offsets;
    private final boolean owner;

    private SparseEncoder(Runtime rt, EncoderOptions options, boolean owner) {
        this.rt = rt;
        this.options = options;
        this.owner = owner;
        float[] off = options.termOffsets() != null ? options.termOffsets() : rt.fileOffsets();
        if (off != null && off.length != rt.info().vocabSize()) {
            throw new IllegalArgumentException("term offsets have " + off.length + " values, the model has " + rt.info().vocabSize() + " terms");
        }
        this.offsets = options.centring() ? off : null;
        if (options.documentBody() == DocumentBody.QUANTISED && rt.queryBody() == null) {
            throw new IllegalArgumentException(rt.dir() + " has no " + ModelInfo.QUERY_BODY + " for quantised documents");
        }
        if (options.queryMode() == QueryMode.INFERENCE_FREE && queryWeights() == null) {
            throw new IllegalArgumentException("inference-free queries need QueryWeights or a " + ModelInfo.QUERY_WEIGHTS + " in " + rt.dir());
        }
    }

    /** Opens a model directory (checksums verified) with the given options. */
    public static SparseEncoder open(Path modelDir, EncoderOptions options) throws IOException {
        ModelInfo info = ModelDirectory.open(modelDir);
        Vocabulary vocab = ModelDirectory.vocabulary(modelDir, info);
        TextTokenizer tokenizer = TextTokenizer.open(modelDir.resolve(info.tokenizer()), info.maxTokens(), info.lowerCase());
        HeadWeights hw = null;
        LazyOrtBody body = null;
        LazyOrtBody bodyForQueries = null;
        try {
            hw = HeadFile.open(modelDir.resolve(ModelInfo.HEAD));
            if (hw.vocab() != info.vocabSize() || hw.hidden() != info.hiddenSize()) {
                throw new ModelFormatException(modelDir.resolve(ModelInfo.HEAD) + ": head is " + hw.vocab() + " x " + hw.hidden()
                        + " but model.json says " + info.vocabSize() + " x " + info.hiddenSize());
            }
            // Documents run body.onnx's int8 products in this CPU's form; full-mode queries in its form for
            // queries (8-bit where documents run 7-bit weights), a session of their own only then.
            IntegerProducts products = IntegerProducts.forThisMachine();
            body = new LazyOrtBody(modelDir.resolve(ModelInfo.BODY), options.threads(), products);
            bodyForQueries = products.forQueries() == products ? body
                    : new LazyOrtBody(modelDir.resolve(ModelInfo.BODY), options.threads(), products.forQueries());
            // body.onnx is loaded now (a broken file fails here), unless both documents and queries
            // run the q8 query body: then only a view asking for the reference body loads it.
            boolean docsQuantised = switch (options.documentBody()) {
                case MODEL -> info.documentsUseQueryBody();
                case BODY -> false;
                case QUANTISED -> true;
            };
            // The session documents run (one thread per worker) is the one loaded now.
            if (!docsQuantised) {
                body.get(options.threadsPerDocumentWorker());
            } else if (!queriesRunQueryBody(options, info, products)) {
                bodyForQueries.get();
            }
            FusedHead head = new FusedHead(hw, options.threads());
            LazyOnnxInt8Head onnxHead = new LazyOnnxInt8Head(hw, options.threads(), products);
            boolean[] special = new boolean[vocab.size()];
            boolean[] punctuation = new boolean[vocab.size()];
            for (int i = 0; i < vocab.size(); i++) {
                String t = vocab.token(i);
                special[i] = t.length() > 2 && t.startsWith("[") && t.endsWith("]");
                punctuation[i] = isPunctuation(t);
            }
            Path offFile = modelDir.resolve(ModelInfo.TERM_OFFSETS);
            float[] fileOffsets = Files.isRegularFile(offFile) ? TermOffsets.read(offFile, info.vocabSize()) : null;
            Path qwFile = modelDir.resolve(ModelInfo.QUERY_WEIGHTS);
            QueryWeights qw = Files.isRegularFile(qwFile) ? QueryWeights.read(qwFile, vocab) : null;
            LazyOrtBody queryBody = info.hasQueryBody() ? new LazyOrtBody(modelDir.resolve(ModelInfo.QUERY_BODY), options.threads(), products) : null;
            ExecutorService workers = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("lsr-encode-", 0).factory());
            return new SparseEncoder(new Runtime(modelDir, info, vocab, tokenizer, products, body, bodyForQueries, queryBody, hw, head, new FusedHead(hw, 1), onnxHead,
                    punctuation, special, fileOffsets, qw, workers), options, true);
        } catch (OrtException e) {
            tokenizer.close();
            if (hw != null) {
                hw.close();
            }
            throw new ModelFormatException(modelDir.resolve(ModelInfo.BODY) + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            if (hw != null) {
                hw.close();
            }
            for (LazyOrtBody b : new LazyOrtBody[] {body, bodyForQueries}) {
                if (b != null) {
                    try {
                        b.close();
                    } catch (OrtException ignored) {
                        // already failing
                    }
                }
            }
            throw e;
        }
    }

    /** A piece made only of punctuation or symbols (after a {@code ##} prefix). */
    static boolean isPunctuation(String token) {
        String t = token.startsWith("##") && token.length() > 2 ? token.substring(2) : token;
        if (t.isEmpty()) {
            return false;
        }
        return t.codePoints().allMatch(c -> {
            int type = Character.getType(c);
            return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                    || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                    || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                    || type == Character.OTHER_PUNCTUATION || type == Character.MATH_SYMBOL
                    || type == Character.CURRENCY_SYMBOL || type == Character.MODIFIER_SYMBOL
                    || type == Character.OTHER_SYMBOL;
        });
    }

    /**
     * Same model, other options (offsets, pruning, query mode, document workers); shares the
     * sessions, closed with this encoder. The thread count stays this encoder's.
     */
    public SparseEncoder withOptions(EncoderOptions newOptions) {
        return new SparseEncoder(rt, newOptions.withThreads(options.threads()), false);
    }

    public EncoderOptions options() {
        return options;
    }

    public ModelInfo info() {
        return rt.info();
    }

    public Vocabulary vocabulary() {
        return rt.vocabulary();
    }

    public Path modelDir() {
        return rt.dir();
    }

    private QueryWeights queryWeights() {
        return options.queryWeights() != null ? options.queryWeights() : rt.fileQueryWeights();
    }

    public EncodedText encodeQuery(String text) {
        if (text == null || text.isBlank()) {
            return EncodedText.empty();
        }
        TextTokenizer.Tokens tok = rt.tokenizer().encode(text);
        if (!options.raw() && options.queryMode() == QueryMode.INFERENCE_FREE) {
            return new EncodedText(inferenceFree(tok), pieces(tok), tok.truncated());
        }
        return new EncodedText(postprocessQuery(run(List.of(tok), queryBody(), rt.head()::maxLogits, new long[2])[0]), pieces(tok), tok.truncated());
    }

    /** Document vectors in input order; the texts are sorted by length into batches (see {@link #encodeDocumentBatch}). */
    public List<EncodedText> encodeDocuments(List<String> texts) {
        return encodeDocumentBatch(texts).documents();
    }

    /**
     * {@link #encodeDocuments} with what the batching cost: the texts are sorted by length across the
     * whole list, then run in batches of {@link EncoderOptions#batchSize()}, so a longer list pads less;
     * the vectors come back in input order.
     */
    public EncodedBatch encodeDocumentBatch(List<String> texts) {
        return encodeDocumentBatch(texts, done -> { });
    }

    /**
     * {@link #encodeDocumentBatch(List)} telling {@code progress} how many texts each model run
     * finished (blank texts are not counted), for progress bars over long lists.
     */
    public EncodedBatch encodeDocumentBatch(List<String> texts, IntConsumer progress) {
        return encodeDocumentBatch(tokenizeDocuments(texts), progress);
    }

    /**
     * The first half of {@link #encodeDocumentBatch(List)}: the texts as model tokens (cut at the
     * model's max tokens; blank texts stay blank), for a pipeline that tokenises one window while
     * the model runs another ({@link DocumentPipeline}). Thread-safe.
     */
    public TokenizedDocuments tokenizeDocuments(List<String> texts) {
        return new TokenizedDocuments(rt.tokenizer(), tokenize(texts));
    }

    /**
     * The second half: runs the model on texts tokenised by this encoder (or another view of the same
     * model), exactly as {@link #encodeDocumentBatch(List, IntConsumer)} would on the texts.
     */
    public EncodedBatch encodeDocumentBatch(TokenizedDocuments docs, IntConsumer progress) {
        if (docs.tokenizer() != rt.tokenizer()) {
            throw new IllegalArgumentException("these texts were tokenised by another model's encoder");
        }
        List<TextTokenizer.Tokens> toks = docs.tokens();
        int n = toks.size();
        long[] slots = new long[2];
        float[][] m = runDocuments(toks, slots, progress);
        List<EncodedText> out = new ArrayList<>(n);
        int truncated = 0;
        for (int i = 0; i < n; i++) {
            if (m[i] == null) {
                out.add(EncodedText.empty());
                continue;
            }
            SparseVector v = options.raw() ? raw(m[i]) : prune(m[i], offsets, options.topK());
            out.add(new EncodedText(v, pieces(toks.get(i)), toks.get(i).truncated()));
            truncated += toks.get(i).truncated() ? 1 : 0;
        }
        return new EncodedBatch(out, slots[0], slots[1], truncated);
    }

    /**
     * Per text, {@code max_t (h_t . W_v + b_v)} over all its real tokens ([CLS] and [SEP] included),
     * before ReLU, centring or pruning; null for an empty or blank text. For sweeps over pruning
     * settings without re-running the model: {@link #postprocess} turns a row into a document vector.
     */
    public float[][] maxLogits(List<String> texts) {
        return maxLogits(texts, done -> { });
    }

    /** {@link #maxLogits(List)} telling {@code progress} how many texts each model run finished. */
    public float[][] maxLogits(List<String> texts, IntConsumer progress) {
        return runDocuments(tokenize(texts), new long[2], progress);
    }

    /** {@link #maxLogits(List)} of texts tokenised by {@link #tokenizeDocuments} (which says which were truncated). */
    public float[][] maxLogits(TokenizedDocuments docs, IntConsumer progress) {
        return maxLogitBatch(docs, progress).rows();
    }

    /** {@link #maxLogits(TokenizedDocuments, IntConsumer)} with the real tokens and padding slots the model ran. */
    public LogitBatch maxLogitBatch(TokenizedDocuments docs, IntConsumer progress) {
        if (docs.tokenizer() != rt.tokenizer()) {
            throw new IllegalArgumentException("these texts were tokenised by another model's encoder");
        }
        long[] slots = new long[2];
        float[][] rows = runDocuments(docs.tokens(), slots, progress);
        return new LogitBatch(rows, slots[0], slots[1]);
    }

    /**
     * {@link #maxLogits} as full-mode queries make them: through the query body when
     * {@link #usesQueryBody()}, one text per model run (no padding), so each row is exactly what
     * {@link #encodeQuery} starts from.
     */
    public float[][] queryMaxLogits(List<String> texts) {
        SparseEncoder single = options.batchSize() == 1 ? this : withOptions(options.withBatchSize(1));
        return single.run(tokenize(texts), queryBody(), rt.head()::maxLogits, new long[2]);
    }

    /** Whether full-mode queries run the model's query body ({@value ModelInfo#QUERY_BODY}) rather than the document body. */
    public boolean usesQueryBody() {
        return queriesRunQueryBody(options, rt.info(), rt.products());
    }

    /** The one rule for {@link #usesQueryBody}, also read at open to know which body sessions to load. */
    private static boolean queriesRunQueryBody(EncoderOptions options, ModelInfo info, IntegerProducts products) {
        return info.hasQueryBody() && options.queryBody().runsQueryBody(info.bodyDtype(), products);
    }

    /**
     * Whether documents (and {@link #maxLogits}) run the model's quantised query body
     * ({@value ModelInfo#QUERY_BODY}) rather than {@value ModelInfo#BODY}: as model.json's
     * {@code document_body_dtype} says, unless {@link EncoderOptions#documentBody()} chooses.
     */
    public boolean usesQuantisedDocumentBody() {
        return switch (options.documentBody()) {
            case MODEL -> rt.info().documentsUseQueryBody() && rt.queryBody() != null;
            case BODY -> false;
            case QUANTISED -> true;
        };
    }

    /** The dtype of the body documents run ({@code fp32}, {@code q8}, ...; {@code query_body} when model.json does not say). */
    public String documentBodyDtype() {
        String d = usesQuantisedDocumentBody() ? rt.info().queryBodyDtype() : rt.info().bodyDtype();
        return d != null ? d : usesQuantisedDocumentBody() ? "query_body" : "body";
    }

    /**
     * Whether documents (and {@link #maxLogits}) run the head as ONNX Runtime's int8 graph
     * ({@code OnnxInt8Head}) rather than the fused kernel: as model.json's {@code document_head}
     * says, unless {@link EncoderOptions#documentHead()} chooses. Queries always run the fused head.
     */
    public boolean usesOnnxInt8DocumentHead() {
        return switch (options.documentHead()) {
            case MODEL -> rt.info().documentsUseOnnxInt8Head();
            case FUSED -> false;
            case ONNX_INT8 -> true;
        };
    }

    /**
     * Whether document logits come from int8 weights in 7 bits ({@link IntegerProducts#SEVEN_BIT_WEIGHTS},
     * this CPU's form as read when the encoder was opened): the int8 head's whenever documents run it,
     * body.onnx's where its import wrote rounding hints. Such logits differ from the 8-bit ones made
     * from the same files, so a cache keyed on the files must be keyed on this too.
     */
    public boolean documentsRunSevenBitWeights() {
        return rt.products() == IntegerProducts.SEVEN_BIT_WEIGHTS && (usesOnnxInt8DocumentHead()
                || !usesQuantisedDocumentBody() && rt.info().files().containsKey(ModelInfo.BODY + IntegerProducts.HINTS_SUFFIX));
    }

    /** The head documents run with {@code threads} threads (one worker's share). */
    private Head documentHead(int threads) {
        if (!usesOnnxInt8DocumentHead()) {
            return threads == 1 ? rt.singleThreadHead()::maxLogits : rt.head()::maxLogits;
        }
        try {
            return rt.onnxHead().get(threads)::maxLogits;
        } catch (OrtException e) {
            throw new IllegalStateException(rt.dir().resolve(ModelInfo.HEAD) + ": ONNX Runtime cannot load the int8 head: " + e.getMessage(), e);
        }
    }

    private OrtBody queryBody() {
        return usesQueryBody() ? loadQueryBody() : bodyForQueries();
    }

    /** body.onnx in the int8 form full-mode queries run ({@link IntegerProducts#forQueries()}). */
    private OrtBody bodyForQueries() {
        return session(rt.bodyForQueries(), options.threads(), ModelInfo.BODY);
    }

    /** The body session documents run with {@code threads} intra-op threads (one worker's share). */
    private OrtBody documentBody(int threads) {
        return usesQuantisedDocumentBody() ? session(rt.queryBody(), threads, ModelInfo.QUERY_BODY)
                : session(rt.body(), threads, ModelInfo.BODY);
    }

    /** Whether {@value ModelInfo#BODY}'s session has been created (it is not while documents and queries run the q8 body). */
    boolean exactBodyLoaded() {
        return rt.body().loaded() || rt.bodyForQueries().loaded();
    }

    private OrtBody loadQueryBody() {
        return session(rt.queryBody(), options.threads(), ModelInfo.QUERY_BODY);
    }

    /** {@code body}'s session with {@code threads} intra-op threads, created on first use; a failure names {@code file}. */
    private OrtBody session(LazyOrtBody body, int threads, String file) {
        try {
            return body.get(threads);
        } catch (OrtException | IOException e) {
            throw new IllegalStateException(rt.dir().resolve(file) + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    /**
     * The logits {@code h_t . W_v + b_v} over the vocabulary at the first position whose piece is
     * {@code piece} (e.g. "[MASK]"): masked-LM predictions, for checking a model.
     */
    public float[] tokenLogits(String text, String piece) {
        TextTokenizer.Tokens tok = rt.tokenizer().encode(text);
        int at = Arrays.asList(tok.pieces()).indexOf(piece);
        if (at < 0) {
            throw new IllegalArgumentException("'" + piece + "' is not among the pieces of the text");
        }
        int t = tok.length();
        long[] mask = new long[t];
        Arrays.fill(mask, 1);
        float[] h;
        try {
            h = bodyForQueries().run(tok.ids(), mask, 1, t);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
        // The head's max over one selected position is that position's logits.
        int[] only = new int[t];
        only[at] = 1;
        float[] out = new float[rt.info().vocabSize()];
        rt.head().maxLogits(h, 1, t, only, out);
        return out;
    }

    /** The document vector of one row of {@link #maxLogits}, exactly as {@link #encodeDocuments} makes it. */
    public SparseVector postprocess(float[] maxLogits) {
        if (maxLogits == null) {
            return SparseVector.empty();
        }
        return options.raw() ? raw(maxLogits) : prune(maxLogits, offsets, options.topK());
    }

    /** The full-mode query vector of one row of {@link #queryMaxLogits}, exactly as {@link #encodeQuery} makes it. */
    public SparseVector postprocessQuery(float[] maxLogits) {
        if (maxLogits == null) {
            return SparseVector.empty();
        }
        return options.raw() ? raw(maxLogits) : prune(maxLogits, options.queryCentring() ? offsets : null, options.queryTopK());
    }

    /**
     * Learns per-term centring offsets from a document sample: the {@code percentile} (0..100) of each
     * term's max logit over the sample. Writes them to the model directory's term_offsets.bin (and its
     * checksum to model.json), and returns them; open the encoder again (or use
     * {@link EncoderOptions#withTermOffsets}) to apply them.
     */
    public float[] fitCentring(List<String> sampleDocs, double percentile) throws IOException {
        float[] off = centringOffsets(maxLogits(sampleDocs), percentile);
        TermOffsets.write(rt.dir().resolve(ModelInfo.TERM_OFFSETS), off);
        ModelDirectory.addFile(rt.dir(), ModelInfo.TERM_OFFSETS);
        return off;
    }

    /** The percentile (nearest rank, 0..100) of each term's value over the non-null rows. */
    public static float[] centringOffsets(float[][] maxLogits, double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        List<float[]> rows = Arrays.stream(maxLogits).filter(r -> r != null).toList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no non-empty documents to fit centring offsets on");
        }
        int vocab = rows.get(0).length;
        int n = rows.size();
        int rank = Math.max(1, (int) Math.ceil(percentile / 100.0 * n));
        float[] col = new float[n];
        float[] off = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            for (int i = 0; i < n; i++) {
                col[i] = rows.get(i)[v];
            }
            Arrays.sort(col);
            off[v] = col[rank - 1];
        }
        return off;
    }

    private List<TextTokenizer.Tokens> tokenize(List<String> texts) {
        List<TextTokenizer.Tokens> toks = new ArrayList<>(texts.size());
        for (String t : texts) {
            if (t == null || t.isBlank()) {
                toks.add(null);
            } else {
                TextTokenizer.Tokens tok = rt.tokenizer().encode(t);
                if (tok.truncated()) {
                    LOG.debug("text of {} chars truncated at {} tokens", t.length(), rt.info().maxTokens());
                }
                toks.add(tok);
            }
        }
        return toks;
    }

    private static List<String> pieces(TextTokenizer.Tokens tok) {
        String[] p = tok.pieces();
        // [CLS] first and [SEP] last are added by the tokenizer; the caller wants the text's own pieces.
        return p.length >= 2 ? Arrays.asList(p).subList(1, p.length - 1) : List.of();
    }

    /** One run of the head over a padded batch: {@link FusedHead#maxLogits}'s contract. */
    @FunctionalInterface
    private interface Head {
        void maxLogits(float[] hidden, int batch, int tokens, int[] mask, float[] out);
    }

    private float[][] run(List<TextTokenizer.Tokens> toks, OrtBody body, Head head, long[] slots) {
        int[] lengths = lengths(toks);
        int[][] plan = LengthBuckets.plan(lengths, options.batchSize(), options.batchTokens());
        countSlots(lengths, plan, slots);
        float[][] out = new float[toks.size()][];
        for (int[] batch : plan) {
            runBatch(toks, lengths, batch, body, head, out);
        }
        return out;
    }

    /**
     * Max logits per document (null for empty texts), in length buckets of at most batchSize texts,
     * on {@link EncoderOptions#effectiveDocumentWorkers()} workers. Adds the real tokens run to
     * {@code slots[0]} and the padding slots to {@code slots[1]}; {@code progress} hears of each
     * finished batch on the calling thread.
     */
    private float[][] runDocuments(List<TextTokenizer.Tokens> toks, long[] slots, IntConsumer progress) {
        int[] lengths = lengths(toks);
        int[][] plan = LengthBuckets.plan(lengths, options.batchSize(), options.batchTokens());
        countSlots(lengths, plan, slots);
        float[][] out = new float[toks.size()][];
        int workers = Math.min(options.effectiveDocumentWorkers(), plan.length);
        int threads = options.threadsPerDocumentWorker();
        OrtBody body = documentBody(workers > 1 ? threads : options.threads());
        Head head = documentHead(workers > 1 ? threads : options.threads());
        if (workers <= 1) {
            for (int[] batch : plan) {
                runBatch(toks, lengths, batch, body, head, out);
                progress.accept(batch.length);
            }
            return out;
        }
        // Data parallelism instead of intra-op threads: ONNX Runtime's per-operator fan-out leaves a
        // core idle in every single-threaded pass (per-row quantisation, the row scaling of
        // MatMulIntegerToFloat, the head's per-document calls); a worker per core running whole
        // batches keeps both busy. Longest batches first, so the last to finish are short ones.
        AtomicInteger next = new AtomicInteger(plan.length);
        AtomicBoolean stop = new AtomicBoolean();
        BlockingQueue<Object> finished = new LinkedBlockingQueue<>();
        List<Future<?>> running = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            running.add(rt.workers().submit(() -> {
                for (int k = next.decrementAndGet(); k >= 0 && !stop.get(); k = next.decrementAndGet()) {
                    try {
                        runBatch(toks, lengths, plan[k], body, head, out);
                        finished.add(plan[k].length);
                    } catch (Throwable t) {
                        stop.set(true);
                        finished.add(t);
                        return;
                    }
                }
            }));
        }
        try {
            for (int done = 0; done < plan.length; done++) {
                Object o = finished.take();
                if (o instanceof Throwable t) {
                    awaitAll(running);
                    if (t instanceof RuntimeException re) {
                        throw re;
                    }
                    if (t instanceof Error e) {
                        throw e;
                    }
                    throw new IllegalStateException(t);
                }
                progress.accept((Integer) o);
            }
        } catch (InterruptedException e) {
            stop.set(true);
            awaitAll(running);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding documents", e);
        } catch (RuntimeException | Error e) {
            stop.set(true); // a failing progress consumer stops the workers too
            awaitAll(running);
            throw e;
        }
        return out;
    }

    /**
     * Waits for the workers to stop (after their current batch, a second or two at most), so a
     * failure or an interrupt leaves no batch running on sessions the caller may close next.
     */
    private static void awaitAll(List<Future<?>> running) {
        boolean interrupted = Thread.interrupted();
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break; // the worker reported its failure through the queue
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int[] lengths(List<TextTokenizer.Tokens> toks) {
        int[] lengths = new int[toks.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = toks.get(i) == null ? -1 : toks.get(i).length();
        }
        return lengths;
    }

    private static void countSlots(int[] lengths, int[][] plan, long[] slots) {
        for (int[] batch : plan) {
            int t = lengths[batch[batch.length - 1]];
            for (int i : batch) {
                slots[0] += lengths[i];
                slots[1] += t - lengths[i];
            }
        }
    }

    /** Body and head over one length bucket (padded to its longest text); writes each text's row of {@code out}. */
    private void runBatch(List<TextTokenizer.Tokens> toks, int[] lengths, int[] batch, OrtBody body, Head head, float[][] out) {
        int vocab = rt.info().vocabSize();
        int hidden = rt.info().hiddenSize();
        int b = batch.length;
        int t = lengths[batch[b - 1]];
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        int[] imask = new int[b * t];
        for (int j = 0; j < b; j++) {
            long[] x = toks.get(batch[j]).ids();
            System.arraycopy(x, 0, ids, j * t, x.length);
            for (int k = 0; k < x.length; k++) {
                mask[j * t + k] = 1;
                imask[j * t + k] = 1;
            }
        }
        float[] h;
        try {
            h = body.run(ids, mask, b, t);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + b + " x " + t + " tokens: " + e.getMessage(), e);
        }
        if (h.length != (long) b * t * hidden) {
            throw new IllegalStateException("body returned " + h.length + " values, expected " + b + " x " + t + " x " + hidden);
        }
        float[] logits = new float[b * vocab];
        head.maxLogits(h, b, t, imask, logits);
        for (int j = 0; j < b; j++) {
            out[batch[j]] = Arrays.copyOfRange(logits, j * vocab, (j + 1) * vocab);
        }
    }

    private static SparseVector raw(float[] m) {
        int nnz = 0;
        for (float x : m) {
            nnz += x > 0 ? 1 : 0;
        }
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        int k = 0;
        for (int v = 0; v < m.length; v++) {
            if (m[v] > 0) {
                idx[k] = v;
                val[k++] = (float) Math.log1p(m[v]);
            }
        }
        return SparseVector.of(idx, val, m.length);
    }

    private SparseVector prune(float[] m, float[] off, int cap) {
        boolean[] special = options.maskSpecial() ? rt.special() : null;
        boolean[] punct = options.maskPunctuation() ? rt.punctuation() : null;
        int[] idx = new int[64];
        float[] val = new float[64];
        int k = 0;
        for (int v = 0; v < m.length; v++) {
            float x = off == null ? m[v] : m[v] - off[v];
            if (!(x > 0) || (special != null && special[v]) || (punct != null && punct[v])) {
                continue;
            }
            float w = (float) Math.log1p(x);
            if (w < options.threshold() || w <= 0f) {
                continue;
            }
            if (k == idx.length) {
                idx = Arrays.copyOf(idx, k * 2);
                val = Arrays.copyOf(val, k * 2);
            }
            idx[k] = v;
            val[k++] = w;
        }
        SparseVector sv = SparseVector.of(Arrays.copyOf(idx, k), Arrays.copyOf(val, k), m.length);
        return cap > 0 && sv.size() > cap ? sv.topK(cap) : sv;
    }

    private SparseVector inferenceFree(TextTokenizer.Tokens tok) {
        QueryWeights qw = queryWeights();
        long[] ids = tok.ids();
        int[] idx = new int[ids.length];
        float[] val = new float[ids.length];
        int k = 0;
        long[] sortedIds = ids.clone();
        Arrays.sort(sortedIds);
        long prev = -1;
        for (long id : sortedIds) {
            if (id == prev) {
                continue;
            }
            prev = id;
            int v = (int) id;
            if (rt.special()[v] || (options.maskPunctuation() && rt.punctuation()[v])) {
                continue;
            }
            float w = qw.weight(v);
            if (w > 0) {
                idx[k] = v;
                val[k++] = w;
            }
        }
        SparseVector sv = SparseVector.of(Arrays.copyOf(idx, k), Arrays.copyOf(val, k), rt.info().vocabSize());
        return options.queryTopK() > 0 && sv.size() > options.queryTopK() ? sv.topK(options.queryTopK()) : sv;
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        rt.workers().shutdownNow();
        rt.head().close();
        rt.singleThreadHead().close();
        try {
            rt.onnxHead().close();
        } catch (OrtException e) {
            throw new UncheckedIOException(new IOException("closing ONNX session: " + e.getMessage(), e));
        }
        rt.headWeights().close();
        rt.tokenizer().close();
        try {
            rt.body().close();
            rt.bodyForQueries().close();
            if (rt.queryBody() != null) {
                rt.queryBody().close();
            }
        } catch (OrtException e) {
            throw new UncheckedIOException(new IOException("closing ONNX session: " + e.getMessage(), e));
        }
    }
}
