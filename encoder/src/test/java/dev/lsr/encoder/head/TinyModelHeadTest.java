package dev.lsr.encoder.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.onnx.proto.GraphProto;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.NodeProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import dev.lsr.encoder.onnx.proto.TypeProto;
import dev.lsr.encoder.onnx.proto.ValueInfoProto;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fused head on the tiny model's real head (its final MatMul + Add) against ONNX Runtime
 * running the whole unmodified graph: the graph is given one extra output, the hidden states that
 * feed the projection, so the fused head sees exactly what the exported model's logits came from.
 */
class TinyModelHeadTest {

    static final int BATCH = 3;
    static final int TOKENS = 9;

    static Path model;
    static float[] hidden;
    static int[] mask;
    static float[] expectedMax;
    static float[] w;
    static float[] bias;
    static int h;
    static int vocab;

    @TempDir
    Path dir;

    @BeforeAll
    static void runTinyModel() throws Exception {
        Path shared = Path.of(System.getProperty("lsr.shared", "../shared"));
        model = shared.resolve("models/tiny-mlm/model.onnx");
        if (!Files.isRegularFile(model)) {
            System.out.println("TinyModelHeadTest skipped: " + model + " is absent");
        }
        Assumptions.assumeTrue(Files.isRegularFile(model), () -> "needs " + model);
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
        GraphProto g = m.getGraph();
        // The export ends in MatMul(x, W [hidden x vocab]) then Add(bias, .).
        NodeProto add = g.getNode(g.getNodeCount() - 1);
        NodeProto matmul = g.getNode(g.getNodeCount() - 2);
        assertThat(add.getOpType()).isEqualTo("Add");
        assertThat(matmul.getOpType()).isEqualTo("MatMul");
        String hiddenName = matmul.getInput(0);
        TensorProto wt = initializer(g, matmul.getInput(1));
        TensorProto b = initializer(g, add.getInput(0).equals(matmul.getOutput(0)) ? add.getInput(1) : add.getInput(0));
        h = (int) wt.getDims(0);
        vocab = (int) wt.getDims(1);
        float[] wHv = floats(wt);
        w = new float[vocab * h];
        for (int k = 0; k < h; k++) {
            for (int v = 0; v < vocab; v++) {
                w[v * h + k] = wHv[k * vocab + v];
            }
        }
        bias = floats(b);

        byte[] withHidden = m.toBuilder().setGraph(g.toBuilder().addOutput(ValueInfoProto.newBuilder()
                .setName(hiddenName).setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))))).build()
                .toByteArray();
        SplittableRandom r = new SplittableRandom(7);
        long[] ids = new long[BATCH * TOKENS];
        long[] att = new long[BATCH * TOKENS];
        mask = new int[BATCH * TOKENS];
        int[] lengths = {TOKENS, 5, 7};
        for (int s = 0; s < BATCH; s++) {
            for (int t = 0; t < TOKENS; t++) {
                boolean real = t < lengths[s];
                ids[s * TOKENS + t] = real ? (t == 0 ? 101 : 1000 + r.nextInt(29000)) : 0;
                att[s * TOKENS + t] = real ? 1 : 0;
                mask[s * TOKENS + t] = real ? 1 : 0;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {BATCH, TOKENS};
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(withHidden, opts);
                    OnnxTensor tIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                    OnnxTensor tAtt = OnnxTensor.createTensor(env, LongBuffer.wrap(att), shape);
                    OnnxTensor tTypes = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[BATCH * TOKENS]), shape);
                    OrtSession.Result res = session.run(Map.of("input_ids", tIds, "attention_mask", tAtt,
                            "token_type_ids", tTypes))) {
                FloatBuffer logits = ((OnnxTensor) res.get("logits").orElseThrow()).getFloatBuffer();
                FloatBuffer hs = ((OnnxTensor) res.get(hiddenName).orElseThrow()).getFloatBuffer();
                hidden = new float[BATCH * TOKENS * h];
                hs.get(hidden);
                expectedMax = new float[BATCH * vocab];
                java.util.Arrays.fill(expectedMax, Float.NEGATIVE_INFINITY);
                for (int s = 0; s < BATCH; s++) {
                    for (int t = 0; t < lengths[s]; t++) {
                        for (int v = 0; v < vocab; v++) {
                            float x = logits.get((s * TOKENS + t) * vocab + v);
                            expectedMax[s * vocab + v] = Math.max(expectedMax[s * vocab + v], x);
                        }
                    }
                }
            }
        }
    }

    private static TensorProto initializer(GraphProto g, String name) {
        return g.getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no initializer " + name));
    }

    private static float[] floats(TensorProto t) {
        if (t.getFloatDataCount() > 0) {
            float[] a = new float[t.getFloatDataCount()];
            for (int i = 0; i < a.length; i++) {
                a[i] = t.getFloatData(i);
            }
            return a;
        }
        FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    @Test
    void fusedHeadMatchesTheExportedModelsLogitsMaxedOverRealTokens() throws Exception {
        assertThat(vocab).isEqualTo(30522);
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, w, bias, vocab, h, HeadDType.FP32);
        float[] fused = new float[BATCH * vocab];
        float[] ref = new float[BATCH * vocab];
        try (HeadWeights hw = HeadFile.open(file); FusedHead head = new FusedHead(hw, 2)) {
            head.maxLogits(hidden, BATCH, TOKENS, mask, fused);
            new ReferenceHead(hw).maxLogits(hidden, BATCH, TOKENS, mask, ref);
        }
        for (int i = 0; i < fused.length; i++) {
            assertThat((double) fused[i]).as("fused vs ONNX, entry %d", i)
                    .isCloseTo(expectedMax[i], within(1e-4 * (1 + Math.abs(expectedMax[i]))));
            assertThat((double) ref[i]).as("reference vs ONNX, entry %d", i)
                    .isCloseTo(expectedMax[i], within(1e-4 * (1 + Math.abs(expectedMax[i]))));
        }
    }

    @Test
    void quantisedHeadsKeepTheSparseVectors() throws Exception {
        Path fp32 = dir.resolve("head.bin");
        HeadFile.write(fp32, w, bias, vocab, h, HeadDType.FP32);
        for (HeadDType dtype : new HeadDType[] {HeadDType.BF16, HeadDType.INT8}) {
            Path q = dir.resolve("head." + dtype + ".bin");
            HeadFile.convert(fp32, q, dtype);
            float[] out = new float[BATCH * vocab];
            try (HeadWeights hw = HeadFile.open(q); FusedHead head = new FusedHead(hw, 1)) {
                head.maxLogits(hidden, BATCH, TOKENS, mask, out);
            }
            for (int s = 0; s < BATCH; s++) {
                float[] e = java.util.Arrays.copyOfRange(expectedMax, s * vocab, (s + 1) * vocab);
                float[] g = java.util.Arrays.copyOfRange(out, s * vocab, (s + 1) * vocab);
                assertThat(HeadTestData.cosine(HeadTestData.log1pRelu(e), HeadTestData.log1pRelu(g)))
                        .as("%s cosine to fp32, sequence %d", dtype, s).isGreaterThanOrEqualTo(0.999);
            }
        }
    }
}
