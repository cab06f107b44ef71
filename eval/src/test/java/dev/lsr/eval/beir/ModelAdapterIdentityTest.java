package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.model.OnnxImporter;
import dev.lsr.encoder.onnx.IntegerProducts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache key of document logits ({@link LogitSource#identity}) follows the int8 form they are
 * computed in: the 7-bit weights of x86 without VNNI make other logits from the same files, while
 * the two exact 8-bit forms (signed with VNNI, unsigned without) make the same ones and share a key.
 */
class ModelAdapterIdentityTest {

    @TempDir
    Path tmp;

    @Test
    void documentLogitsAreKeyedOnSevenBitWeightsOnlyWhereTheyRun() throws IOException {
        Path shared = Path.of(System.getProperty("lsr.shared", "../shared"));
        Path onnx = shared.resolve("models/tiny-mlm/model.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(onnx), "skipped: " + onnx + " is absent (needs ../shared)");
        Path fused = tmp.resolve("fused");
        OnnxImporter.importModel(onnx, shared.resolve("models/tiny-mlm/tokenizer.json"), fused, "tiny-mlm", HeadDType.FP32);
        // The same files with documents through the int8 ONNX Runtime head, which runs in the CPU's form.
        Path int8 = tmp.resolve("int8-head");
        Files.createDirectories(int8);
        ModelInfo m = ModelDirectory.open(fused);
        for (String f : m.files().keySet()) {
            Files.copy(fused.resolve(f), int8.resolve(f));
        }
        ModelDirectory.write(int8, new ModelInfo(m.name(), m.formatVersion(), m.source(), m.vocabSize(), m.hiddenSize(),
                m.maxTokens(), m.lowerCase(), m.specialTokens(), m.activation(), m.pooling(), m.headDtype(), m.bodyDtype(),
                m.queryBodyDtype(), m.documentBodyDtype(), ModelInfo.HEAD_ONNX_INT8, m.tokenizer(), m.inputs(), m.encoder(),
                m.files()), m.files().keySet());

        String before = System.getProperty(IntegerProducts.PROPERTY);
        try {
            String fusedSigned = identity(fused, "signed");
            assertThat(identity(fused, "unsigned")).isEqualTo(fusedSigned);
            assertThat(identity(fused, "7bit")).as("fp32 body, fused head: nothing runs in int8").isEqualTo(fusedSigned);
            String int8Signed = identity(int8, "signed");
            assertThat(int8Signed).isNotEqualTo(fusedSigned);
            assertThat(identity(int8, "unsigned")).as("both exact 8-bit forms").isEqualTo(int8Signed);
            assertThat(identity(int8, "7bit")).as("the int8 head in 7 bits").isNotEqualTo(int8Signed);
        } finally {
            if (before == null) {
                System.clearProperty(IntegerProducts.PROPERTY);
            } else {
                System.setProperty(IntegerProducts.PROPERTY, before);
            }
        }
    }

    private static String identity(Path dir, String form) {
        System.setProperty(IntegerProducts.PROPERTY, form);
        EvalModel model = ModelAdapter.open(dir, null, null, null, null, false, null, new PrintStream(PrintStream.nullOutputStream()));
        try {
            return model.logits().orElseThrow().identity();
        } finally {
            model.close();
        }
    }
}
