package dev.lsr.encoder.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The transformer body in ONNX Runtime: {@code input_ids, attention_mask [, token_type_ids]} in,
 * {@code hidden [batch, tokens, hidden]} out. One process-wide {@link OrtEnvironment}; intra-op
 * threads are explicit and do not spin, so idle encoder threads leave the cores to the searchers.
 * {@link #run} is thread-safe (ONNX Runtime sessions are).
 */
public final class OrtBody implements AutoCloseable {

    private final OrtSession session;
    private final boolean tokenTypes;
    private final String output;

    public OrtBody(Path model, int intraOpThreads) throws OrtException, IOException {
        this(model, intraOpThreads, IntegerProducts.forThisMachine());
    }

    /** @param products the form of the graph's int8 products that is exact on this CPU (see {@link IntegerProducts}) */
    public OrtBody(Path model, int intraOpThreads, IntegerProducts products) throws OrtException, IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] adapted = products.sessionBytes(model);
        try (OrtSession.SessionOptions opts = OrtSessions.options(intraOpThreads)) {
            this.session = adapted != null ? env.createSession(adapted, opts) : env.createSession(model.toString(), opts);
        }
        this.tokenTypes = session.getInputNames().contains("token_type_ids");
        this.output = session.getOutputNames().iterator().next();
    }

    public boolean usesTokenTypes() {
        return tokenTypes;
    }

    /**
     * @param ids {@code [batch * tokens]} token ids, padded
     * @param mask {@code [batch * tokens]} 1 for real tokens
     * @return {@code [batch * tokens * hidden]} row-major
     */
    public float[] run(long[] ids, long[] mask, int batch, int tokens) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {batch, tokens};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (tokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
            }
            try (OrtSession.Result r = session.run(inputs)) {
                OnnxTensor out = (OnnxTensor) r.get(output).orElseThrow();
                FloatBuffer fb = out.getFloatBuffer();
                float[] h = new float[fb.remaining()];
                fb.get(h);
                return h;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
