package dev.lsr.encoder.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of {@code model.json}: what a model directory holds and how to run it.
 *
 * @param tokenizer the tokenizer file name ({@code tokenizer.json} or {@code vocab.txt})
 * @param inputs the body's graph inputs ({@code token_type_ids} only when the graph has it)
 * @param queryBodyDtype dtype of {@code query_body.onnx}, the body that full-mode queries run (a
 *     quantised copy of {@code body.onnx}: queries are latency-bound); null when the model has none
 * @param documentBodyDtype dtype of the body documents run by default: equal to {@code queryBodyDtype}
 *     (and not to {@code bodyDtype}) when documents run {@code query_body.onnx} too; null (directories
 *     imported before this field) means {@code body.onnx}
 * @param documentHead how documents run the head: {@code fused} (null, directories imported before
 *     this field: the fused Java kernel on head.bin, as queries) or {@code onnx-int8} (head.bin's
 *     weights as an int8 x int8 ONNX Runtime graph, {@code OnnxInt8Head})
 * @param files SHA-256 (hex) of every file of the directory except model.json itself
 */
public record ModelInfo(
        @JsonProperty("name") String name,
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("source") String source,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("max_tokens") int maxTokens,
        @JsonProperty("lower_case") boolean lowerCase,
        @JsonProperty("special_tokens") Map<String, Integer> specialTokens,
        @JsonProperty("activation") String activation,
        @JsonProperty("pooling") String pooling,
        @JsonProperty("head_dtype") String headDtype,
        @JsonProperty("body_dtype") String bodyDtype,
        @JsonProperty("query_body_dtype") String queryBodyDtype,
        @JsonProperty("document_body_dtype") String documentBodyDtype,
        @JsonProperty("document_head") String documentHead,
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("inputs") List<String> inputs,
        @JsonProperty("encoder") Defaults encoder,
        @JsonProperty("files") SortedMap<String, String> files) {

    public static final int FORMAT_VERSION = 1;
    public static final String MODEL_JSON = "model.json";
    public static final String BODY = "body.onnx";
    public static final String QUERY_BODY = "query_body.onnx";
    public static final String HEAD = "head.bin";
    public static final String TERM_OFFSETS = "term_offsets.bin";
    public static final String QUERY_WEIGHTS = "query_weights.json";
    public static final String HEAD_FUSED = "fused";
    public static final String HEAD_ONNX_INT8 = "onnx-int8";

    /**
     * Encoding defaults recorded at import; {@code EncoderOptions.defaults(info)} starts from them.
     *
     * @param topK cap on terms per document vector (0 = none)
     * @param threshold weights below this are dropped
     * @param centring subtract the fitted per-term offsets ({@code term_offsets.bin}) when present
     * @param centringPercentile the percentile at which {@code term_offsets.bin} should be fitted on the
     *     corpus to be indexed ({@code lsr model centring}; {@code lsr beir} fits it on the fly); null = none recommended
     * @param queryMode {@code full} or {@code inference-free}: how queries should be encoded; null = full
     * @param queryTopK cap on full-mode query terms; null = the encoder's default
     * @param hybridFusion how hybrid search should fuse sparse and BM25 results, {@code rrf} or
     *     {@code linear}; null = rrf
     * @param hybridSparseWeight linear fusion: weight of the min-max normalised sparse score (BM25
     *     gets {@code 1 - w}); null = 0.5
     * @param queryIdfPower inference-free queries built from collection IDF weigh each term
     *     {@code idf^power}; null = 1
     */
    public record Defaults(
            @JsonProperty("top_k") int topK,
            @JsonProperty("threshold") float threshold,
            @JsonProperty("centring") boolean centring,
            @JsonProperty("mask_special") boolean maskSpecial,
            @JsonProperty("mask_punctuation") boolean maskPunctuation,
            @JsonProperty("centring_percentile") Double centringPercentile,
            @JsonProperty("query_mode") String queryMode,
            @JsonProperty("query_top_k") Integer queryTopK,
            @JsonProperty("hybrid_fusion") String hybridFusion,
            @JsonProperty("hybrid_sparse_weight") Double hybridSparseWeight,
            @JsonProperty("query_idf_power") Double queryIdfPower) {

        public static final String FULL = "full";
        public static final String INFERENCE_FREE = "inference-free";

        public Defaults {
            if (queryMode != null && !queryMode.equals(FULL) && !queryMode.equals(INFERENCE_FREE)) {
                throw new IllegalArgumentException("query_mode must be full or inference-free, was '" + queryMode + "'");
            }
            if (centringPercentile != null && !(centringPercentile > 0 && centringPercentile <= 100)) {
                throw new IllegalArgumentException("centring_percentile must be in (0, 100], was " + centringPercentile);
            }
            if (hybridFusion != null && !hybridFusion.equals(RRF) && !hybridFusion.equals(LINEAR)) {
                throw new IllegalArgumentException("hybrid_fusion must be rrf or linear, was '" + hybridFusion + "'");
            }
            if (hybridSparseWeight != null && !(hybridSparseWeight >= 0 && hybridSparseWeight <= 1)) {
                throw new IllegalArgumentException("hybrid_sparse_weight must be in [0, 1], was " + hybridSparseWeight);
            }
            if (queryIdfPower != null && !(queryIdfPower > 0 && queryIdfPower <= 10)) {
                throw new IllegalArgumentException("query_idf_power must be in (0, 10], was " + queryIdfPower);
            }
        }

        public static final String RRF = "rrf";
        public static final String LINEAR = "linear";

        public static Defaults standard() {
            return new Defaults(256, 0.0f, true, true, true, null, null, null, null, null, null);
        }

        /**
         * A masked LM not trained for retrieval (the BERT checkpoint), zero-shot: settings chosen on
         * BEIR SciFact train (eval/RESULTS.md): documents centred against the corpus at this
         * percentile and pruned to their top terms; queries inference-free (IDF-weighted tokens);
         * hybrid search by linear fusion, which beat reciprocal-rank fusion at every weight tried.
         */
        public static Defaults zeroShotMlm() {
            return new Defaults(ZERO_SHOT_TOP_K, 0.0f, true, true, true, ZERO_SHOT_CENTRING_PERCENTILE, INFERENCE_FREE, null,
                    LINEAR, ZERO_SHOT_SPARSE_WEIGHT, ZERO_SHOT_QUERY_IDF_POWER);
        }

        /** The IDF power of inference-free query weights, 1 when unset. */
        public double queryIdfPowerOrOne() {
            return queryIdfPower == null ? 1.0 : queryIdfPower;
        }

        /** The query mode, {@code full} when unset. */
        public String queryModeOrFull() {
            return queryMode == null ? FULL : queryMode;
        }
    }

    /** Tuned on SciFact train for the zero-shot BERT MLM; see {@link Defaults#zeroShotMlm()}. */
    static final int ZERO_SHOT_TOP_K = 128;
    static final double ZERO_SHOT_CENTRING_PERCENTILE = 90.0;
    static final double ZERO_SHOT_SPARSE_WEIGHT = 0.4;
    static final double ZERO_SHOT_QUERY_IDF_POWER = 1.0;

    public ModelInfo {
        if (documentHead != null && !documentHead.equals(HEAD_FUSED) && !documentHead.equals(HEAD_ONNX_INT8)) {
            throw new IllegalArgumentException("document_head must be " + HEAD_FUSED + " or " + HEAD_ONNX_INT8 + ", was '" + documentHead + "'");
        }
    }

    public ModelInfo withFiles(Map<String, String> newFiles) {
        return new ModelInfo(name, formatVersion, source, vocabSize, hiddenSize, maxTokens, lowerCase, specialTokens,
                activation, pooling, headDtype, bodyDtype, queryBodyDtype, documentBodyDtype, documentHead, tokenizer, inputs, encoder, new TreeMap<>(newFiles));
    }

    /** Whether full-mode queries have their own body ({@value #QUERY_BODY}). */
    public boolean hasQueryBody() {
        return files != null && files.containsKey(QUERY_BODY);
    }

    /**
     * Whether documents run {@value #QUERY_BODY} by default (model.json's {@code document_body_dtype}
     * names the query body's dtype): the quantised body is faster on document batches too.
     */
    public boolean documentsUseQueryBody() {
        return hasQueryBody() && documentBodyDtype != null && documentBodyDtype.equals(queryBodyDtype)
                && !documentBodyDtype.equals(bodyDtype);
    }

    /** Whether documents run the head as ONNX Runtime's int8 graph by default ({@code document_head: onnx-int8}). */
    public boolean documentsUseOnnxInt8Head() {
        return HEAD_ONNX_INT8.equals(documentHead);
    }

    /** The dtype of the body documents run by default. */
    public String documentBodyDtypeOrBody() {
        return documentsUseQueryBody() ? queryBodyDtype : bodyDtype;
    }

    /** {@link #documentFiles(boolean)} for the body documents run by default. */
    public SortedMap<String, String> documentFiles() {
        return documentFiles(documentsUseQueryBody());
    }

    /**
     * The files that make document vectors: every file but the body documents do not run and the
     * inference-free query table, so adding or changing either leaves cached document vectors valid.
     *
     * @param viaQueryBody documents run {@value #QUERY_BODY} (then {@value #BODY} is left out)
     */
    public SortedMap<String, String> documentFiles(boolean viaQueryBody) {
        SortedMap<String, String> m = new TreeMap<>(files);
        m.remove(viaQueryBody ? BODY : QUERY_BODY);
        m.remove(QUERY_WEIGHTS);
        return m;
    }

    /**
     * The encoding defaults to apply: those recorded in model.json; a BERT checkpoint imported
     * before the zero-shot settings were recorded (no query_mode, no centring_percentile) gets them.
     */
    public Defaults defaults() {
        Defaults d = encoder == null ? Defaults.standard() : encoder;
        if (source == null || !source.startsWith("bert-checkpoint:")) {
            return d;
        }
        // A BERT checkpoint imported before a zero-shot field was recorded gets that field's choice.
        Defaults z = Defaults.zeroShotMlm();
        boolean beforeZeroShot = d.queryMode() == null && d.centringPercentile() == null;
        Defaults base = beforeZeroShot ? z : d;
        return new Defaults(base.topK(), base.threshold(), base.centring(), d.maskSpecial(), d.maskPunctuation(),
                base.centringPercentile(), base.queryMode(), d.queryTopK(),
                d.hybridFusion() == null ? z.hybridFusion() : d.hybridFusion(),
                d.hybridFusion() == null ? z.hybridSparseWeight() : d.hybridSparseWeight(),
                d.queryIdfPower() == null ? z.queryIdfPower() : d.queryIdfPower());
    }

    public boolean usesTokenTypes() {
        return inputs.contains("token_type_ids");
    }
}
