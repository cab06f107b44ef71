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
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("inputs") List<String> inputs,
        @JsonProperty("encoder") Defaults encoder,
        @JsonProperty("files") SortedMap<String, String> files) {

    public static final int FORMAT_VERSION = 1;
    public static final String MODEL_JSON = "model.json";
    public static final String BODY = "body.onnx";
    public static final String HEAD = "head.bin";
    public static final String TERM_OFFSETS = "term_offsets.bin";
    public static final String QUERY_WEIGHTS = "query_weights.json";

    /**
     * Document-vector defaults recorded at import; {@code EncoderOptions.defaults(info)} starts from them.
     *
     * @param topK cap on terms per document vector (0 = none)
     * @param threshold weights below this are dropped
     * @param centring subtract the fitted per-term offsets ({@code term_offsets.bin}) when present
     */
    public record Defaults(
            @JsonProperty("top_k") int topK,
            @JsonProperty("threshold") float threshold,
            @JsonProperty("centring") boolean centring,
            @JsonProperty("mask_special") boolean maskSpecial,
            @JsonProperty("mask_punctuation") boolean maskPunctuation) {

        public static Defaults standard() {
            return new Defaults(256, 0.0f, true, true, true);
        }
    }

    public ModelInfo withFiles(Map<String, String> newFiles) {
        return new ModelInfo(name, formatVersion, source, vocabSize, hiddenSize, maxTokens, lowerCase, specialTokens,
                activation, pooling, headDtype, bodyDtype, tokenizer, inputs, encoder, new TreeMap<>(newFiles));
    }

    public boolean usesTokenTypes() {
        return inputs.contains("token_type_ids");
    }
}
