package dev.lsr.eval.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.head.HeadWeights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The unfused head as ONNX Runtime runs it: the graph from {@link OnnxHeadGraph} (MatMul + Add
 * materialising {@code [tokens x vocab]} logits, then ReduceMax over tokens) for one sequence.
 * The comparison point for the fused Java head: same weights, same thread count.
 */
public final class OrtHead implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final int hidden;
    private final int vocab;

    public OrtHead(HeadWeights w, int threads) throws OrtException {
        this.env = OrtEnvironment.getEnvironment();
        this.hidden = w.hidden();
        this.vocab = w.vocab();
        // As the encoder runs its body and int8 head (the runs alternate with the fused head).
        try (OrtSession.SessionOptions opts = dev.lsr.encoder.onnx.OrtSessions.options(threads)) {
            this.session = env.createSession(OnnxHeadGraph.build(w), opts);
        }
    }

    /** A direct buffer holding hidden states {@code [tokens x hidden]}, reusable across calls. */
    public FloatBuffer input(float[] hiddenStates, int tokens) {
        FloatBuffer fb = ByteBuffer.allocateDirect(tokens * hidden * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        fb.put(hiddenStates, 0, tokens * hidden).flip();
        return fb;
    }

    /** out[v] = max over the tokens of {@code h_t . W_v + b_v}, computed by ONNX Runtime. */
    public void maxLogits(FloatBuffer hiddenStates, int tokens, float[] out) throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(env, hiddenStates, new long[] {tokens, hidden});
                OrtSession.Result r = session.run(Map.of(OnnxHeadGraph.INPUT, x))) {
            FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
            y.get(out, 0, vocab);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
