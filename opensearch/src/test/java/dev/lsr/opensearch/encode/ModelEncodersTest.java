package dev.lsr.opensearch.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.QueryWeights;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.model.OnnxImporter;
import dev.lsr.opensearch.vocab.ModelVocabularies;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Query-time text encoding as a node does it: the shared tiny masked-LM imported twice into a
 * node-like {@code <config>/lsr-models/}, once as imported (queries run the model) and once with
 * {@code model.json} asking for inference-free queries and a {@code query_weights.json} table
 * (queries are the table's weights of the text's pieces, no model run). Skipped with a printed
 * reason without ../shared.
 */
class ModelEncodersTest {

    @TempDir
    static Path config;
    private static ModelEncoders encoders;
    private static Path full;
    private static float[] table;

    @BeforeAll
    static void importTinyModel() throws IOException {
        Path src = Path.of(System.getProperty("lsr.shared", "../../shared")).resolve("models/tiny-mlm");
        boolean present = Files.isRegularFile(src.resolve("model.onnx"));
        if (!present) {
            System.out.println("ModelEncodersTest: skipped, no tiny model at " + src.toAbsolutePath());
        }
        assumeTrue(present, "needs ../shared/models/tiny-mlm");
        Path models = config.resolve(ModelVocabularies.DIRECTORY);
        full = models.resolve("tiny");
        OnnxImporter.importModel(src.resolve("model.onnx"), src.resolve("tokenizer.json"), full, "tiny-mlm", HeadDType.FP32);
        Path free = models.resolve("tiny-free");
        OnnxImporter.importModel(src.resolve("model.onnx"), src.resolve("tokenizer.json"), free, "tiny-mlm", HeadDType.FP32);
        Vocabulary vocab = ModelDirectory.vocabulary(free, ModelDirectory.open(free));
        table = new float[vocab.size()];
        for (int i = 0; i < table.length; i++) {
            table[i] = 0.5f + (i % 7) * 0.25f;
        }
        QueryWeights.of(table).write(free.resolve(ModelInfo.QUERY_WEIGHTS), vocab);
        ModelDirectory.addFile(free, ModelInfo.QUERY_WEIGHTS);
        // The model says its queries are inference-free (as `lsr model` records it for doc-only models).
        JsonMapper json = JsonMapper.builder().build();
        Path modelJson = free.resolve(ModelInfo.MODEL_JSON);
        ObjectNode root = (ObjectNode) json.readTree(modelJson.toFile());
        ObjectNode encoder = root.get("encoder") instanceof ObjectNode e ? e
                : (ObjectNode) json.valueToTree(ModelInfo.Defaults.standard());
        encoder.put("query_mode", ModelInfo.Defaults.INFERENCE_FREE);
        root.set("encoder", encoder);
        json.writeValue(modelJson.toFile(), root);
        encoders = new ModelEncoders(new ModelVocabularies(config));
    }

    @AfterAll
    static void close() {
        if (encoders != null) {
            encoders.close();
        }
    }

    @Test
    void fullModelQueriesAreTheEncodersOwn() throws IOException {
        String text = "how do proteins fold into their structure";
        SparseVector got = encoders.get("model", "tiny").encodeQuery(text).vector();
        try (SparseEncoder e = SparseEncoder.open(full, EncoderOptions.defaults(ModelDirectory.open(full)))) {
            assertThat(got).isEqualTo(e.encodeQuery(text).vector());
        }
        assertThat(got.isEmpty()).isFalse();
        assertThat(encoders.get("model", "tiny")).isSameAs(encoders.get("model", "tiny"));
    }

    @Test
    void inferenceFreeModelsWeighEachPieceByTheirTable() {
        SparseEncoder free = encoders.get("model", "tiny-free");
        EncodedText q = free.encodeQuery("how do proteins fold into their structure");
        SparseVector v = q.vector();
        assertThat(v.isEmpty()).isFalse();
        for (int j = 0; j < v.size(); j++) {
            assertThat(v.value(j)).as("weight of %s", free.vocabulary().token(v.index(j))).isEqualTo(table[v.index(j)]);
        }
        // Every term is one of the text's pieces: no expansion, no model run.
        List<String> pieces = q.tokens();
        for (int j = 0; j < v.size(); j++) {
            assertThat(pieces).contains(free.vocabulary().token(v.index(j)));
        }
        assertThat(v).isNotEqualTo(encoders.get("model", "tiny").encodeQuery("how do proteins fold into their structure").vector());
    }

    @Test
    void aDirectoryWithoutModelJsonIsNotAModel() throws IOException {
        Files.createDirectories(config.resolve(ModelVocabularies.DIRECTORY).resolve("vocab-only"));
        Files.writeString(config.resolve(ModelVocabularies.DIRECTORY).resolve("vocab-only").resolve("vocab.txt"), "a\nb\n");
        assertThatThrownBy(() -> encoders.get("model", "vocab-only"))
                .hasMessageContaining("is not an lsr model directory (no model.json");
    }
}
