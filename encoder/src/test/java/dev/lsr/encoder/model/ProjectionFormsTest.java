package dev.lsr.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.onnx.GraphBuilder;
import dev.lsr.encoder.onnx.GraphBuilder.Attr;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The projection forms real exports use, each cut and checked against ONNX Runtime's own logits. */
class ProjectionFormsTest {

    static final int V = 50;
    static final int H = 8;
    static final int F = TensorProto.DataType.FLOAT_VALUE;
    static final int I64 = TensorProto.DataType.INT64_VALUE;

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** input_ids -> embeddings (E [V x H]) -> Tanh -> the given projection -> logits. */
    static ModelProto graph(BiFunction<GraphBuilder, String, String> projection, boolean extraInput) {
        GraphBuilder g = new GraphBuilder("test");
        g.input("input_ids", I64, "batch", "tokens");
        g.input("attention_mask", I64, "batch", "tokens");
        if (extraInput) {
            g.input("pixel_values", F, "batch", 3);
        }
        g.initializer("E", random(V * H, 1), V, H);
        String h = g.node("Tanh", g.node("Gather", "E", "input_ids"));
        String logits = projection.apply(g, h);
        g.node("Identity", List.of(logits), List.of("logits"));
        g.output("logits", F, "batch", "tokens", V);
        return g.build();
    }

    static ModelProto form(String name) {
        return switch (name) {
            case "matmul-bias-first" -> graph((g, h) -> {
                g.initializer("W", random(H * V, 2), H, V);
                g.initializer("b", random(V, 3), V);
                return g.node("Add", "b", g.node("MatMul", h, "W"));
            }, false);
            case "tied-transpose" -> graph((g, h) -> {
                g.initializer("b", random(V, 3), V);
                String wt = g.node("Transpose", List.of("E"), Attr.ints("perm", 1, 0));
                return g.node("Add", g.node("MatMul", h, wt), "b");
            }, false);
            case "identity-no-bias" -> graph((g, h) -> {
                g.initializer("W", random(H * V, 2), H, V);
                return g.node("MatMul", h, g.node("Identity", "W"));
            }, false);
            case "gemm-transB" -> graph((g, h) -> {
                g.initializer("Wvh", random(V * H, 4), V, H);
                g.initializer("b", random(V, 3), V);
                String x2 = g.node("Reshape", h, g.longs(-1, H));
                String y = g.node("Gemm", List.of(x2, "Wvh", "b"), Attr.i("transB", 1), Attr.f("alpha", 0.5f), Attr.f("beta", 2f));
                String shape = g.node("Concat", List.of(g.node("Shape", "input_ids"), g.longs(V)), Attr.i("axis", 0));
                return g.node("Reshape", y, shape);
            }, false);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static ModelProto notAProjection() {
        GraphBuilder g = new GraphBuilder("bad");
        g.input("input_ids", I64, "batch", "tokens");
        g.input("attention_mask", I64, "batch", "tokens");
        g.initializer("E", random(V * H, 1), V, H);
        g.node("Relu", List.of(g.node("Gather", "E", "input_ids")), List.of("logits"));
        g.output("logits", F, "batch", "tokens", H);
        return g.build();
    }

    static ModelProto withExtraInput() {
        return graph((g, h) -> {
            g.initializer("W", random(H * V, 2), H, V);
            return g.node("MatMul", h, "W");
        }, true);
    }

    static float[] runOne(OrtSession s, long[] ids) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {2, ids.length / 2};
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", m))) {
            var fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"matmul-bias-first", "tied-transpose", "identity-no-bias", "gemm-transB"})
    void cutBodyPlusHeadReproducesTheLogits(String name) throws Exception {
        ModelProto model = form(name);
        ProjectionCut.Result cut = ProjectionCut.cut(model, name + ".onnx", Path.of("."));
        assertThat(cut.vocab()).isEqualTo(V);
        assertThat(cut.hidden()).isEqualTo(H);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] ids = {1, 7, 3, 49, 0, 22};
        try (OrtSession original = env.createSession(model.toByteArray());
                OrtSession body = env.createSession(cut.body().toByteArray())) {
            assertThat(body.getOutputNames()).containsExactly("hidden");
            float[] logits = runOne(original, ids);
            float[] hidden = runOne(body, ids);
            assertThat(hidden).hasSize(ids.length * H);
            for (int t = 0; t < ids.length; t++) {
                for (int v = 0; v < V; v++) {
                    float x = cut.bias()[v];
                    for (int k = 0; k < H; k++) {
                        x += hidden[t * H + k] * cut.w()[v * H + k];
                    }
                    assertThat(x).as("%s token %d term %d", name, t, v).isCloseTo(logits[t * V + v], within(1e-4f));
                }
            }
        }
    }
}
