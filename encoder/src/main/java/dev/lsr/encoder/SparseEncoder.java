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
            Sparsifier.TermMasks masks, float[] fileOffsets, QueryWeights fileQueryWeights, BucketRunner runner) {}

    private final Runtime rt;
    private final EncoderOptions options;
    private final Sparsifier sparsifier;
    private final boolean owner;

    private SparseEncoder(Runtime rt, EncoderOptions options, boolean owner) {
        this.rt = rt;
        this.options = options;
        this.owner = owner;
        float[] off = options.termOffsets() != null ? options.termOffsets() : rt.fileOffsets();
        if (off != null && off.length != rt.info().vocabSize()) {
            throw new IllegalArgumentException("term offsets have " + off.length + " values, the model has " + rt.info().vocabSize() + " terms");
        }
        this.sparsifier = new Sparsifier(rt.masks(), options, options.centring() ? off : null);
        if (options.documentBody() == DocumentBody.QUANTISED && rt.queryBody() == null) {
            throw new IllegalArgumentException(rt.dir() + " has no " + ModelInfo.QUERY_BODY + " for quantised documents");
        }
        if (options.queryMode() == QueryMode.INFERENCE_FREE && queryWeights() == null) {
            throw new IllegalArgumentException("inference-free queries need QueryWeights or a " + ModelInfo.QUERY_WEIGHTS + " in " + rt.dir());
        }
    }

    /** Opens a model directory (checksums verified) with the given options. */
    public static SparseEncoder open(Path modelDir, EncoderOptions options) throws IOException {
        return open(modelDir, info -> options);
    }

    /**
     * Opens a model directory (checksums verified) with options made from its model.json, e.g.
     * {@code info -> EncoderOptions.defaults(info).withThreads(2)}: the directory's files are
     * hashed once, where reading model.json with {@link ModelDirectory#open} first hashed them twice.
     */
    public static SparseEncoder open(Path modelDir, java.util.function.Function<ModelInfo, EncoderOptions> optionsFor) throws IOException {
        ModelInfo info = ModelDirectory.open(modelDir);
        EncoderOptions options = optionsFor.apply(info);
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
            Path offFile = modelDir.resolve(ModelInfo.TERM_OFFSETS);
            float[] fileOffsets = Files.isRegularFile(offFile) ? TermOffsets.read(offFile, info.vocabSize()) : null;
            Path qwFile = modelDir.resolve(ModelInfo.QUERY_WEIGHTS);
            QueryWeights qw = Files.isRegularFile(qwFile) ? QueryWeights.read(qwFile, vocab) : null;
            LazyOrtBody queryBody = info.hasQueryBody() ? new LazyOrtBody(modelDir.resolve(ModelInfo.QUERY_BODY), options.threads(), products) : null;
            return new SparseEncoder(new Runtime(modelDir, info, vocab, tokenizer, products, body, bodyForQueries, queryBody, hw, head, new FusedHead(hw, 1), onnxHead,
                    Sparsifier.TermMasks.of(vocab), fileOffsets, qw, new BucketRunner(info.vocabSize(), info.hiddenSize())), options, true);
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
            return new EncodedText(sparsifier.inferenceFree(tok.ids(), queryWeights(), rt.info().vocabSize()), pieces(tok),
                    tok.truncated());
        }
        float[] logits = rt.runner().run(List.of(tok), options, queryBody(), rt.head()::maxLogits, new long[2])[0];
        return new EncodedText(sparsifier.query(logits), pieces(tok), tok.truncated());
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
            out.add(new EncodedText(sparsifier.document(m[i]), pieces(toks.get(i)), toks.get(i).truncated()));
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
        return rt.runner().run(tokenize(texts), options.withBatchSize(1), queryBody(), rt.head()::maxLogits, new long[2]);
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
    private BucketRunner.Head documentHead(int threads) {
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
        return sparsifier.document(maxLogits);
    }

    /** The full-mode query vector of one row of {@link #queryMaxLogits}, exactly as {@link #encodeQuery} makes it. */
    public SparseVector postprocessQuery(float[] maxLogits) {
        return sparsifier.query(maxLogits);
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

    /**
     * Builds the inference-free query table from a document sample, as a collection builds its own
     * from its documents: each term's BM25-style IDF over the sample's document vectors (encoded as
     * this encoder encodes documents), to the power {@code power}. Writes it to the model
     * directory's query_weights.json (and its checksum to model.json) and returns it; queries of an
     * encoder opened afterwards are inference-free when model.json recommends it. For where no
     * collection builds the table: {@code lsr encode}, the OpenSearch plugin's text queries.
     */
    public QueryWeights fitQueryWeights(List<String> sampleDocs, double power) throws IOException {
        if (sampleDocs.isEmpty()) {
            throw new IllegalArgumentException("no documents to fit query weights on");
        }
        int[] df = new int[vocabulary().size()];
        for (EncodedText e : encodeDocuments(sampleDocs)) {
            SparseVector v = e.vector();
            for (int i = 0; i < v.size(); i++) {
                df[v.index(i)]++;
            }
        }
        QueryWeights weights = QueryWeights.fromDocumentFrequencies(df, sampleDocs.size(), power);
        weights.write(rt.dir().resolve(ModelInfo.QUERY_WEIGHTS), vocabulary());
        ModelDirectory.addFile(rt.dir(), ModelInfo.QUERY_WEIGHTS);
        return weights;
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

    /**
     * Max logits per document (null for empty texts), in length buckets of at most batchSize texts,
     * on {@link EncoderOptions#effectiveDocumentWorkers()} workers with the body and head documents
     * run. Adds the real tokens run to {@code slots[0]} and the padding slots to {@code slots[1]}.
     */
    private float[][] runDocuments(List<TextTokenizer.Tokens> toks, long[] slots, IntConsumer progress) {
        return rt.runner().runOnWorkers(toks, options, this::documentBody, this::documentHead, slots, progress);
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        rt.runner().close();
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
