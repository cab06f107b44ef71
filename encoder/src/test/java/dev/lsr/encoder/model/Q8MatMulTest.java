package dev.lsr.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.onnx.GraphBuilder;
import dev.lsr.encoder.onnx.proto.TensorProto;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The q8 body's dense layer: {@code MatMulNBits} (8 bits, blocks of 32) against the fp32 product. */
class Q8MatMulTest {

    @Test
    void layoutIsOneRowPerOutputColumnWithSymmetricBlockScales() {
        int k = 40;
        int n = 3;
        float[] w = new float[k * n];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                w[r * n + c] = (c + 1) * (r - 20) / 10f;
            }
        }
        BertGraph.Q8Weights q = BertGraph.quantiseQ8(w, k, n);
        assertThat(q.blocksPerColumn()).isEqualTo(2);
        assertThat(q.blocks()).hasSize(n * 2 * 32);
        assertThat(q.scales()).hasSize(n * 2);
        for (int c = 0; c < n; c++) {
            for (int r = 0; r < 64; r++) {
                int stored = q.blocks()[(c * 2 + r / 32) * 32 + r % 32] & 0xff;
                if (r >= k) {
                    assertThat(stored).as("padding").isEqualTo(128);
                    continue;
                }
                float back = (stored - 128) * q.scales()[c * 2 + r / 32];
                assertThat(back).as("w[%d][%d]", r, c).isCloseTo(w[r * n + c], within(q.scales()[c * 2 + r / 32] / 2 + 1e-6f));
            }
            // Block 0 holds rows 0..31: max |w| = 20 (c + 1) / 10 maps to 127.
            assertThat(q.scales()[c * 2]).isCloseTo(2f * (c + 1) / 127f, within(1e-6f));
        }
    }

    @Test
    void matMulNBitsMatchesTheFloatProduct() throws Exception {
        int rows = 5;
        int k = 80; // not a multiple of the block: the last block is padded
        int n = 48;
        Random rnd = new Random(7);
        float[] w = new float[k * n];
        float[] x = new float[rows * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.05f;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        GraphBuilder g = new GraphBuilder("q8");
        String in = g.input("x", TensorProto.DataType.FLOAT_VALUE, "rows", k);
        String y = BertGraph.q8MatMul(g, in, "w", w, k, n);
        g.node("Identity", java.util.List.of(y), java.util.List.of("y"));
        g.output("y", TensorProto.DataType.FLOAT_VALUE, "rows", n);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] got;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(g.build().toByteArray(), opts);
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, k});
                OrtSession.Result r = s.run(Map.of("x", t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            got = new float[fb.remaining()];
            fb.get(got);
        }
        assertThat(got).hasSize(rows * n);
        double num = 0;
        double den = 0;
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < n; c++) {
                double ref = 0;
                for (int j = 0; j < k; j++) {
                    ref += x[i * k + j] * w[j * n + c];
                }
                double d = got[i * n + c] - ref;
                num += d * d;
                den += ref * ref;
                assertThat((double) got[i * n + c]).as("y[%d][%d]", i, c).isCloseTo(ref, within(0.03));
            }
        }
        // 8-bit weights and (accuracy_level 4) 8-bit blockwise activations: ~1% relative error.
        assertThat(Math.sqrt(num / den)).isLessThan(0.02);
    }
}
