package dev.lsr.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lsr.encoder.head.FusedHead;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.head.HeadWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX head graph the benchmark runs in ONNX Runtime computes what the fused head computes. */
class OrtHeadTest {

    @TempDir
    Path dir;

    @Test
    void onnxRuntimeHeadGraphAgreesWithFusedHead() throws Exception {
        int vocab = 301, hidden = 45, tokens = 13;
        float[] w = HeadBenchmark.gaussianRows(vocab, hidden, 1);
        float[] bias = HeadBenchmark.gaussianRows(1, vocab, 2);
        float[] x = HeadBenchmark.gaussianRows(tokens, hidden, 3);
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, w, bias, vocab, hidden, HeadDType.FP32);
        float[] fused = new float[vocab];
        float[] onnx = new float[vocab];
        try (HeadWeights hw = HeadFile.open(file); FusedHead head = new FusedHead(hw, 1);
                OrtHead ort = new OrtHead(hw, 1)) {
            head.maxLogits(x, 1, tokens, HeadBenchmark.ones(tokens), fused);
            ort.maxLogits(ort.input(x, tokens), tokens, onnx);
        }
        for (int v = 0; v < vocab; v++) {
            assertThat((double) fused[v]).as("row %d", v).isCloseTo(onnx[v], within(1e-4 * (1 + Math.abs(onnx[v]))));
        }
    }
}
