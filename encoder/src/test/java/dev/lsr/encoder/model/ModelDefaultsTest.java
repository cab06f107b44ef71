package dev.lsr.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.QueryMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The encoding defaults a model directory records, and those a BERT checkpoint import gets. */
class ModelDefaultsTest {

    private static ModelInfo info(String source, ModelInfo.Defaults d, Map<String, String> files) {
        return new ModelInfo("m", ModelInfo.FORMAT_VERSION, source, 30522, 768, 512, true, Map.of("unk", 100),
                "log1p_relu", "max", "fp32", "fp32", null, null, null, "vocab.txt", List.of("input_ids", "attention_mask"), d, new TreeMap<>(files));
    }

    @Test
    void bertImportsBeforeTheZeroShotFieldsGetThem() throws Exception {
        // model.json as written before centring_percentile / query_mode existed
        String old = "{\"top_k\":256,\"threshold\":0.0,\"centring\":true,\"mask_special\":true,\"mask_punctuation\":true}";
        ModelInfo.Defaults recorded = JsonMapper.builder().build().readValue(old, ModelInfo.Defaults.class);
        assertThat(recorded.centringPercentile()).isNull();
        assertThat(recorded.queryMode()).isNull();

        ModelInfo.Defaults d = info("bert-checkpoint:maven:x:y:1", recorded, Map.of()).defaults();
        assertThat(d).isEqualTo(ModelInfo.Defaults.zeroShotMlm());
        assertThat(d.queryMode()).isEqualTo("inference-free");
        assertThat(d.centringPercentile()).isEqualTo(ModelInfo.ZERO_SHOT_CENTRING_PERCENTILE);

        // another model's recorded defaults are kept as they are
        ModelInfo.Defaults onnx = info("onnx:model.onnx", recorded, Map.of()).defaults();
        assertThat(onnx).isEqualTo(recorded);
        assertThat(onnx.queryModeOrFull()).isEqualTo("full");
    }

    @Test
    void encoderOptionsFollowTheDefaults() {
        ModelInfo.Defaults z = ModelInfo.Defaults.zeroShotMlm();
        EncoderOptions o = EncoderOptions.defaults(info("bert-checkpoint:x", z, Map.of()));
        assertThat(o.topK()).isEqualTo(z.topK());
        assertThat(o.centring()).isTrue();
        // inference-free needs a weight table: without query_weights.json queries stay full
        assertThat(o.queryMode()).isEqualTo(QueryMode.FULL);
        EncoderOptions withTable = EncoderOptions.defaults(info("bert-checkpoint:x", z, Map.of(ModelInfo.QUERY_WEIGHTS, "00")));
        assertThat(withTable.queryMode()).isEqualTo(QueryMode.INFERENCE_FREE);

        ModelInfo.Defaults capped = new ModelInfo.Defaults(100, 0.1f, false, true, false, null, "full", 16, null, null, null);
        EncoderOptions c = EncoderOptions.defaults(info("onnx:x", capped, Map.of()));
        assertThat(c.topK()).isEqualTo(100);
        assertThat(c.queryTopK()).isEqualTo(16);
        assertThat(c.centring()).isFalse();
        assertThat(c.maskPunctuation()).isFalse();
    }

    @Test
    void badDefaultsAreRefused() {
        assertThatThrownBy(() -> new ModelInfo.Defaults(256, 0f, true, true, true, 0.0, null, null, null, null, null))
                .hasMessageContaining("centring_percentile");
        assertThatThrownBy(() -> new ModelInfo.Defaults(256, 0f, true, true, true, null, "dense", null, null, null, null))
                .hasMessageContaining("query_mode");
        assertThatThrownBy(() -> new ModelInfo.Defaults(256, 0f, true, true, true, null, null, null, "max", null, null))
                .hasMessageContaining("hybrid_fusion");
        assertThatThrownBy(() -> new ModelInfo.Defaults(256, 0f, true, true, true, null, null, null, "linear", 1.5, null))
                .hasMessageContaining("hybrid_sparse_weight");
        assertThatThrownBy(() -> new ModelInfo.Defaults(256, 0f, true, true, true, null, null, null, null, null, 0.0))
                .hasMessageContaining("query_idf_power");
    }

    @Test
    void bertImportsBeforeTheHybridFieldsGetThem() throws Exception {
        // model.json as written after the zero-shot encoding fields, before the hybrid ones
        String json = "{\"top_k\":128,\"threshold\":0.0,\"centring\":true,\"mask_special\":true,\"mask_punctuation\":true,"
                + "\"centring_percentile\":95.0,\"query_mode\":\"full\"}";
        ModelInfo.Defaults recorded = JsonMapper.builder().build().readValue(json, ModelInfo.Defaults.class);
        ModelInfo.Defaults d = info("bert-checkpoint:maven:x:y:1", recorded, Map.of()).defaults();
        assertThat(d.centringPercentile()).isEqualTo(95.0);
        assertThat(d.queryMode()).isEqualTo("full");
        assertThat(d.hybridFusion()).isEqualTo("linear");
        assertThat(d.hybridSparseWeight()).isEqualTo(ModelInfo.ZERO_SHOT_SPARSE_WEIGHT);
        assertThat(info("onnx:model.onnx", recorded, Map.of()).defaults().hybridFusion()).isNull();
    }
}
