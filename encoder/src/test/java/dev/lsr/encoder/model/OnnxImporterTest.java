package dev.lsr.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.encoder.TinyModel;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.head.HeadWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImporterTest {

    @TempDir
    Path tmp;

    @Test
    void importsTheTinyModel() throws Exception {
        // Rounding hints left by an earlier sq8 import into the same directory do not survive an fp32 import.
        Path stale = Files.createDirectories(tmp.resolve("m")).resolve(ModelInfo.BODY + dev.lsr.encoder.onnx.IntegerProducts.HINTS_SUFFIX);
        Files.write(stale, new byte[] {1, 2, 3});
        Path dir = TinyModel.importTo(tmp.resolve("m"));
        assertThat(stale).doesNotExist();
        ModelInfo info = ModelDirectory.open(dir);
        assertThat(info.vocabSize()).isEqualTo(30522);
        assertThat(info.hiddenSize()).isEqualTo(16);
        assertThat(info.lowerCase()).isTrue();
        assertThat(info.specialTokens()).containsEntry("cls", 101).containsEntry("sep", 102).containsEntry("mask", 103);
        assertThat(info.activation()).isEqualTo("log1p_relu");
        assertThat(info.pooling()).isEqualTo("max");
        assertThat(info.inputs()).contains("input_ids", "attention_mask", "token_type_ids");
        assertThat(info.files()).containsOnlyKeys("body.onnx", "head.bin", "tokenizer.json");
        try (HeadWeights w = HeadFile.open(dir.resolve("head.bin"))) {
            assertThat(w.vocab()).isEqualTo(30522);
            assertThat(w.hidden()).isEqualTo(16);
            assertThat(w.dtype()).isEqualTo(HeadDType.FP32);
        }
        // The body no longer holds the 16 x 30522 projection.
        assertThat(Files.size(dir.resolve("body.onnx"))).isLessThan(Files.size(TinyModel.onnx()) - 16L * 30522 * 4);
    }

    @Test
    void refusesAlteredOrMissingFilesNamingThem() throws Exception {
        Path dir = TinyModel.importTo(tmp.resolve("m"));
        String sum = ModelDirectory.open(dir).files().get("tokenizer.json");
        Files.writeString(dir.resolve("tokenizer.json"), " ", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelDirectory.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tokenizer.json").hasMessageContaining("altered").hasMessageContaining(sum);
        Files.delete(dir.resolve("head.bin"));
        assertThatThrownBy(() -> ModelDirectory.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("head.bin").hasMessageContaining("missing");
    }

    @Test
    void refusesAGraphThatDoesNotEndInAProjection() throws Exception {
        Path bad = tmp.resolve("bad.onnx");
        Files.write(bad, ProjectionFormsTest.notAProjection().toByteArray());
        Path tokenizer = TinyModel.tokenizer(); // skips without ../shared (outside the lambda, or the skip would be the "thrown" exception)
        assertThatThrownBy(() -> OnnxImporter.importModel(bad, tokenizer, tmp.resolve("out"), "bad", HeadDType.FP32))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("bad.onnx")
                .hasMessageContaining("not a vocabulary projection")
                .hasMessageContaining("found Relu(");
    }

    @Test
    void refusesUnexpectedInputsNamingThem() throws Exception {
        Path bad = tmp.resolve("odd.onnx");
        Files.write(bad, ProjectionFormsTest.withExtraInput().toByteArray());
        Path tokenizer = TinyModel.tokenizer();
        assertThatThrownBy(() -> OnnxImporter.importModel(bad, tokenizer, tmp.resolve("out"), "odd", HeadDType.FP32))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("pixel_values");
    }
}
