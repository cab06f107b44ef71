package dev.lsr.encoder.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.head.HeadWeights;
import dev.lsr.encoder.onnx.GraphBuilder.Attr;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The document head as an int8 x int8 ONNX Runtime graph: {@code max_t (h_t . W_v + b_v)} for each
 * sequence, with the same contract as {@link dev.lsr.encoder.head.FusedHead#maxLogits}. Built at load
 * from head.bin: W as int8 with one symmetric scale per vocabulary row ({@code max|w| / 127}, the
 * fused int8 head's quantisation; {@code / 64} where the CPU runs 7-bit weights, {@link
 * IntegerProducts#weightLevels()}), the hidden states quantised per token ({@code step = max|h_t| / 127},
 * zero point 128), {@code com.microsoft:MatMulIntegerToFloat} (u8 x s8 with VNNI where the CPU has
 * it; u8 x u8 on x86 without VNNI, see {@link IntegerProducts}), then ReduceMax over the sequence's tokens and the bias.
 *
 * <p>Why: a 256-token document's projection is 12 G multiply-adds, and ONNX Runtime's int8 GEMM does
 * them 2.7x faster than the fused fp32 kernel on AVX-512 VNNI (Java's Vector API has no int8 dot
 * product), although it writes the {@code [tokens x vocab]} logits out before the max. Queries (a
 * few tokens, latency-bound) keep the fused head. One call per sequence, on its real tokens only.
 */
public final class OnnxInt8Head implements AutoCloseable {

    static final String INPUT = "hidden";
    static final String OUTPUT = "max_logits";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final int hidden;
    private final int vocab;

    public OnnxInt8Head(HeadWeights w, int threads) throws OrtException {
        this(w, threads, IntegerProducts.forThisMachine());
    }

    /** @param products the form of the int8 product that is exact on this CPU (see {@link IntegerProducts}) */
    public OnnxInt8Head(HeadWeights w, int threads, IntegerProducts products) throws OrtException {
        this.env = OrtEnvironment.getEnvironment();
        this.hidden = w.hidden();
        this.vocab = w.vocab();
        try (OrtSession.SessionOptions opts = OrtSessions.options(threads)) {
            this.session = env.createSession(products.adapt(graph(w, products.weightLevels())).toByteArray(), opts);
        }
    }

    /**
     * The head graph: input {@code hidden [tokens, hidden]}, output {@code max_logits [vocab]}.
     *
     * @param levels the largest |weight|: 127, or 64 where the CPU sums u8 x s8 exactly only for 7-bit
     *     weights ({@link IntegerProducts#weightLevels()}); quantised here from the fp32 weights
     */
    static ModelProto graph(HeadWeights w, int levels) {
        int h = w.hidden();
        int v = w.vocab();
        // W^T [hidden][vocab] as int8, one scale per column (= per vocabulary row of W).
        float[] scales = new float[v];
        for (int r = 0; r < v; r++) {
            float amax = 0;
            for (int k = 0; k < h; k++) {
                amax = Math.max(amax, Math.abs(w.weight(r, k)));
            }
            scales[r] = amax == 0 ? 1f : amax / levels;
        }
        byte[] q = new byte[h * v];
        for (int r = 0; r < v; r++) {
            float inv = 1f / scales[r];
            for (int k = 0; k < h; k++) {
                q[k * v + r] = (byte) Math.max(-levels, Math.min(levels, Math.round(w.weight(r, k) * inv)));
            }
        }
        GraphBuilder g = new GraphBuilder("lsr-int8-head");
        String x = g.input(INPUT, TensorProto.DataType.FLOAT_VALUE, "tokens", h);
        String wq = g.initializerBytes("head_w_int8", TensorProto.DataType.INT8_VALUE, q, h, v);
        String ws = g.initializer("head_w_scale", scales, v);
        String bias = g.initializer("head_bias", w.bias(), v);
        String zp = g.initializerBytes("head_x_zp", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) 128});
        String amax = g.node("ReduceMax", List.of(g.node("Abs", x)), Attr.ints("axes", -1), Attr.i("keepdims", 1));
        String step = g.node("Max", g.node("Mul", amax, g.scalar(1f / 127)), g.scalar(1e-12f));
        String xq = g.node("QuantizeLinear", g.node("Div", x, step), g.scalar(1f), zp);
        // a_scale [tokens, 1]: MatMulIntegerToFloat scales each output row by its token's step.
        String logits = g.msNode("MatMulIntegerToFloat", List.of(xq, wq, step, ws, zp));
        String max = g.node("ReduceMax", List.of(logits), Attr.ints("axes", 0), Attr.i("keepdims", 0));
        g.node("Add", List.of(max, bias), List.of(OUTPUT));
        g.output(OUTPUT, TensorProto.DataType.FLOAT_VALUE, v);
        return g.build();
    }

    /**
     * @param hiddenStates {@code [batch * tokens * hidden]} row-major
     * @param mask {@code [batch * tokens]}, 1 for a real token
     * @param out {@code [batch * vocab]}: max over real tokens of {@code h_t . W_v + b_v}, before ReLU;
     *     {@code -Infinity} for a sequence without real tokens
     */
    public void maxLogits(float[] hiddenStates, int batch, int tokens, int[] mask, float[] out) {
        if (hiddenStates.length != (long) batch * tokens * hidden || mask.length != batch * tokens || out.length != (long) batch * vocab) {
            throw new IllegalArgumentException("shapes: hidden " + hiddenStates.length + ", mask " + mask.length + ", out " + out.length
                    + " for " + batch + " x " + tokens + " tokens, hidden " + hidden + ", vocab " + vocab);
        }
        for (int s = 0; s < batch; s++) {
            int real = 0;
            boolean prefix = true;
            for (int t = 0; t < tokens; t++) {
                if (mask[s * tokens + t] != 0) {
                    prefix &= real == t;
                    real++;
                }
            }
            if (real == 0) {
                Arrays.fill(out, s * vocab, (s + 1) * vocab, Float.NEGATIVE_INFINITY);
                continue;
            }
            FloatBuffer in;
            if (prefix) {
                in = FloatBuffer.wrap(hiddenStates, s * tokens * hidden, real * hidden).slice();
            } else {
                float[] rows = new float[real * hidden];
                int r = 0;
                for (int t = 0; t < tokens; t++) {
                    if (mask[s * tokens + t] != 0) {
                        System.arraycopy(hiddenStates, (s * tokens + t) * hidden, rows, r++ * hidden, hidden);
                    }
                }
                in = FloatBuffer.wrap(rows);
            }
            try (OnnxTensor x = OnnxTensor.createTensor(env, in, new long[] {real, hidden});
                    OrtSession.Result r = session.run(Map.of(INPUT, x))) {
                FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
                y.get(out, s * vocab, vocab);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on the int8 head (" + real + " tokens): " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
