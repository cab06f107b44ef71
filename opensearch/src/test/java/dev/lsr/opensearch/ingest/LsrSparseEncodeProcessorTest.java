package dev.lsr.opensearch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.OnnxImporter;
import dev.lsr.opensearch.encode.ModelEncoders;
import dev.lsr.opensearch.vocab.ModelVocabularies;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.ingest.IngestDocument;

/**
 * The {@code lsr_sparse_encode} processor with a real lsr model: the shared tiny masked-LM imported
 * into a node-like {@code <config>/lsr-models/tiny/} (skipped with a printed reason without ../shared).
 */
class LsrSparseEncodeProcessorTest {

    @TempDir
    static Path config;
    private static ModelEncoders encoders;
    private static Path modelDir;

    @BeforeAll
    static void importTinyModel() throws IOException {
        Path src = Path.of(System.getProperty("lsr.shared", "../../shared")).resolve("models/tiny-mlm");
        boolean present = Files.isRegularFile(src.resolve("model.onnx"));
        if (!present) {
            System.out.println("LsrSparseEncodeProcessorTest: skipped, no tiny model at " + src.toAbsolutePath());
        }
        assumeTrue(present, "needs ../shared/models/tiny-mlm");
        modelDir = config.resolve(ModelVocabularies.DIRECTORY).resolve("tiny");
        OnnxImporter.importModel(src.resolve("model.onnx"), src.resolve("tokenizer.json"), modelDir, "tiny-mlm", HeadDType.FP32);
        encoders = new ModelEncoders(new ModelVocabularies(config));
    }

    @AfterAll
    static void close() {
        if (encoders != null) {
            encoders.close();
        }
    }

    private static LsrSparseEncodeProcessor processor(Map<String, Object> settings) {
        return new LsrSparseEncodeProcessor.Factory(encoders).create(Map.of(), "t", null, new HashMap<>(settings));
    }

    private static IngestDocument doc(Map<String, Object> source) {
        return new IngestDocument("idx", "1", null, null, null, new HashMap<>(source));
    }

    @Test
    void writesTheEncodersDocumentVectorInTheFieldsIdForm() throws IOException {
        String text = "Protein folding is the process by which a chain acquires its structure.";
        IngestDocument d = processor(Map.of("model", "tiny", "field", "body", "target_field", "vec"))
                .execute(doc(Map.of("body", text)));
        SparseVector want;
        try (SparseEncoder e = SparseEncoder.open(modelDir, EncoderOptions.defaults(ModelDirectory.open(modelDir)).withThreads(1))) {
            want = e.encodeDocuments(List.of(text)).getFirst().vector();
        }
        assertThat(want.isEmpty()).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, List<Number>> vec = d.getFieldValue("vec", Map.class);
        assertThat(vec.get("indices").stream().map(Number::intValue).toList())
                .isEqualTo(Arrays.stream(want.indices()).boxed().toList());
        float[] values = new float[vec.get("values").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = vec.get("values").get(i).floatValue();
        }
        assertThat(values).containsExactly(want.values());
        assertThat(d.getFieldValue("body", String.class)).isEqualTo(text);
    }

    @Test
    void missingTextFailsUnlessIgnored() {
        assertThatThrownBy(() -> processor(Map.of("model", "tiny", "field", "body", "target_field", "vec"))
                .execute(doc(Map.of("other", "x"))))
                .hasMessageContaining("body");
        IngestDocument d = processor(Map.of("model", "tiny", "field", "body", "target_field", "vec", "ignore_missing", true))
                .execute(doc(Map.of("other", "x")));
        assertThat(d.hasField("vec")).isFalse();
    }

    @Test
    void nonTextIsRefusedAndBlankTextLeavesNoVector() {
        assertThatThrownBy(() -> processor(Map.of("model", "tiny", "field", "body", "target_field", "vec"))
                .execute(doc(Map.of("body", 42))))
                .hasMessageContaining("field [body] must be a string");
        IngestDocument d = processor(Map.of("model", "tiny", "field", "body", "target_field", "vec"))
                .execute(doc(Map.of("body", "   ")));
        assertThat(d.hasField("vec")).isFalse();
    }

    @Test
    void aModelTheNodeLacksOrABadNameIsRefusedWhenThePipelineIsCreated() {
        assertThatThrownBy(() -> processor(Map.of("model", "nope", "field", "body", "target_field", "vec")))
                .hasMessageContaining("is not an lsr model directory")
                .hasMessageContaining(config.resolve("lsr-models").resolve("nope").toString());
        assertThatThrownBy(() -> processor(Map.of("model", "../tiny", "field", "body", "target_field", "vec")))
                .hasMessageContaining("must be the name of a directory under <config>/lsr-models/");
        assertThatThrownBy(() -> processor(Map.of("field", "body", "target_field", "vec")))
                .hasMessageContaining("[model] required property is missing");
    }
}
