package dev.lsr.encoder.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.onnx.proto.GraphProto;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.NodeProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 product form chosen per CPU, the rewrite to unsigned weights, and ONNX Runtime's integer
 * products against exact integer arithmetic on inputs that saturate a 16-bit pair sum.
 */
class IntegerProductsTest {

    static final int ROWS = 4;
    static final int K = 64;
    static final int N = 24;

    @TempDir
    Path tmp;

    @Test
    void vnniOrANonX86CpuKeepsSignedWeightsAndOtherX86CpusRunThemIn7Bits() throws Exception {
        assertThat(IntegerProducts.forCpu("amd64", Set.of("avx2", "avx512f", "avx512_vnni"))).isEqualTo(IntegerProducts.SIGNED_WEIGHTS);
        assertThat(IntegerProducts.forCpu("amd64", Set.of("avx2", "avx_vnni"))).isEqualTo(IntegerProducts.SIGNED_WEIGHTS);
        assertThat(IntegerProducts.forCpu("amd64", Set.of("avx2", "fma"))).isEqualTo(IntegerProducts.SEVEN_BIT_WEIGHTS);
        assertThat(IntegerProducts.forCpu("amd64", Set.of("avx512f", "avx512bw"))).isEqualTo(IntegerProducts.SEVEN_BIT_WEIGHTS);
        assertThat(IntegerProducts.forCpu("x86_64", null)).as("flags unknown").isEqualTo(IntegerProducts.SEVEN_BIT_WEIGHTS);
        assertThat(IntegerProducts.forCpu("aarch64", Set.of())).isEqualTo(IntegerProducts.SIGNED_WEIGHTS);
        assertThat(IntegerProducts.cpuFlags("processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512_vnni\n\nprocessor\t: 1\n"))
                .containsExactlyInAnyOrder("fpu", "avx2", "avx512_vnni");
        assertThat(IntegerProducts.cpuFlags("no flags here")).isEmpty();
        Int8WeightsProperty.with("Unsigned",
                () -> assertThat(IntegerProducts.forThisMachine()).isEqualTo(IntegerProducts.UNSIGNED_WEIGHTS));
        Int8WeightsProperty.with("signed",
                () -> assertThat(IntegerProducts.forThisMachine()).isEqualTo(IntegerProducts.SIGNED_WEIGHTS));
        Int8WeightsProperty.with("7bit",
                () -> assertThat(IntegerProducts.forThisMachine()).isEqualTo(IntegerProducts.SEVEN_BIT_WEIGHTS));
        for (IntegerProducts form : IntegerProducts.values()) {
            Int8WeightsProperty.with(form, () -> assertThat(IntegerProducts.forThisMachine()).isEqualTo(form));
        }
        Int8WeightsProperty.with("u8", () -> assertThatThrownBy(IntegerProducts::forThisMachine)
                .hasMessageContaining(IntegerProducts.PROPERTY).hasMessageContaining("'u8'"));
    }

    @Test
    void theRewriteShiftsOnlyWeightsThatOnlyProductsRead() {
        GraphBuilder g = new GraphBuilder("shift");
        String a = g.input("a", TensorProto.DataType.UINT8_VALUE, ROWS, K);
        String azp = g.initializerBytes("a_zp", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) 128});
        String w = g.initializerBytes("w", TensorProto.DataType.INT8_VALUE, new byte[] {-127, -1, 0, 1, 127, 5}, 3, 2);
        String shared = g.initializerBytes("shared", TensorProto.DataType.INT8_VALUE, new byte[] {1, 2}, 1, 2);
        g.node("MatMulInteger", List.of(a, w, azp), List.of("y"));
        g.node("MatMulInteger", List.of(a, shared, azp), List.of("y2"));
        g.node("Cast", List.of(shared), List.of("s"), GraphBuilder.Attr.i("to", TensorProto.DataType.INT32_VALUE));
        ModelProto m = g.build();
        assertThat(IntegerProducts.SIGNED_WEIGHTS.adapt(m)).isSameAs(m);

        ModelProto u = IntegerProducts.UNSIGNED_WEIGHTS.adapt(m);
        assertThat(u).as("signed weights to shift").isNotSameAs(m);
        TensorProto wu = initializer(u, "w");
        assertThat(wu.getDataType()).isEqualTo(TensorProto.DataType.UINT8_VALUE);
        assertThat(wu.getRawData().toByteArray()).containsExactly(1, 127, (byte) 128, (byte) 129, (byte) 255, (byte) 133);
        assertThat(wu.getDimsList()).containsExactly(3L, 2L);
        NodeProto first = u.getGraph().getNode(0);
        assertThat(first.getInputList()).containsExactly("a", "w", "a_zp", IntegerProducts.ZERO_POINT_128);
        assertThat(initializer(u, "shared").getDataType()).as("also read by a Cast").isEqualTo(TensorProto.DataType.INT8_VALUE);
        assertThat(u.getGraph().getNode(1).getInputList()).containsExactly("a", "shared", "a_zp");
        assertThat(IntegerProducts.UNSIGNED_WEIGHTS.adapt(u)).as("nothing left to shift").isSameAs(u);
    }

    @Test
    void theSevenBitRewriteHalvesHintedWeightsDoublesTheirScaleAndShiftsTheRest() throws Exception {
        GraphBuilder g = new GraphBuilder("halve");
        String a = g.input("a", TensorProto.DataType.UINT8_VALUE, ROWS, 4);
        String azp = g.initializerBytes("a_zp", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) 128});
        String as = g.initializer("a_scale", new float[] {0.5f});
        String w = g.initializerBytes("w", TensorProto.DataType.INT8_VALUE, new byte[] {-127, -1, 0, 1, 127, 5, -3, 64}, 4, 2);
        String ws = g.initializer("w_scale", new float[] {0.25f, 3f}, 2);
        String own = g.initializerBytes("own", TensorProto.DataType.INT8_VALUE, new byte[] {100, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        String ownScale = g.initializer("own_scale", new float[] {1f, 2f}, 2);
        String small = g.initializerBytes("small", TensorProto.DataType.INT8_VALUE, new byte[] {64, -64, 3, 0, 1, 2, 7, -9}, 4, 2);
        String smallScale = g.initializer("small_scale", new float[] {1f, 1f}, 2);
        String unhinted = g.initializerBytes("unhinted", TensorProto.DataType.INT8_VALUE, new byte[] {90, 0, 0, 0, 0, 0, 0, 0}, 4, 2);
        String plain = g.initializerBytes("plain", TensorProto.DataType.INT8_VALUE, new byte[] {100, -100, 3, 0, 1, 2, 7, -9}, 4, 2);
        g.msNode("MatMulIntegerToFloat", List.of(a, w, as, ws, azp));
        g.msNode("MatMulIntegerToFloat", List.of(a, own, as, ownScale, azp));
        g.msNode("MatMulIntegerToFloat", List.of(a, small, as, smallScale, azp));
        g.msNode("MatMulIntegerToFloat", List.of(a, unhinted, as, smallScale, azp));
        g.node("MatMulInteger", List.of(a, plain, azp), List.of("y3"));
        g.node("Identity", List.of(ws), List.of("w_scale_copy"));
        // Round up: -127 (bit 0), -1 (bit 1), 1 (bit 3), 127 (bit 4), -3 (bit 6); 5 (bit 5) rounds down.
        g.roundingHint(w, new byte[] {0b0101_1011});
        g.roundingHint(own, new byte[] {0b0000_0010});
        g.roundingHint(plain, new byte[] {(byte) 0xff});
        ModelProto m = g.build();
        GraphProto hints = g.roundingHints();

        ModelProto h = IntegerProducts.SEVEN_BIT_WEIGHTS.adapt(m, hints);
        TensorProto wh = initializer(h, "w");
        assertThat(wh.getDataType()).as("still int8").isEqualTo(TensorProto.DataType.INT8_VALUE);
        // floor(w / 2) + bit for odd w: -64 + 1, -1 + 1, 0, 0 + 1, 63 + 1, 2 + 0, -2 + 1; even values halve.
        assertThat(wh.getRawData().toByteArray()).containsExactly(-63, 0, 0, 1, 64, 2, -1, 32);
        assertThat(h.getGraph().getNode(0).getInput(3)).isEqualTo("w_scale" + IntegerProducts.DOUBLED);
        assertThat(OnnxTensors.floats(initializer(h, "w_scale" + IntegerProducts.DOUBLED), null)).containsExactly(0.5f, 6f);
        assertThat(OnnxTensors.floats(initializer(h, "w_scale"), null)).as("the Identity still reads the original").containsExactly(0.25f, 3f);
        assertThat(initializer(h, "own").getRawData().toByteArray()).containsExactly(50, 1, 1, 1, 2, 2, 3, 3);
        assertThat(h.getGraph().getInitializerList()).as("a scale nothing reads any more is dropped")
                .noneMatch(t -> t.getName().equals("own_scale"));
        assertThat(OnnxTensors.floats(initializer(h, "own_scale" + IntegerProducts.DOUBLED), null)).containsExactly(2f, 4f);
        assertThat(initializer(h, "small").getRawData().toByteArray()).as("within [-64, 64]: exact already")
                .containsExactly(64, -64, 3, 0, 1, 2, 7, -9);
        assertThat(h.getGraph().getNode(2).getInputList()).containsExactly("a", "small", "a_scale", "small_scale", "a_zp");
        assertThat(initializer(h, "unhinted").getDataType()).as("no hint: shifted, exact in 8 bits")
                .isEqualTo(TensorProto.DataType.UINT8_VALUE);
        assertThat(initializer(h, "plain").getDataType()).as("no scale to double: shifted")
                .isEqualTo(TensorProto.DataType.UINT8_VALUE);
        assertThat(h.getGraph().getNode(4).getInputList()).containsExactly("a", "plain", "a_zp", IntegerProducts.ZERO_POINT_128);
        assertThat(IntegerProducts.SEVEN_BIT_WEIGHTS.adapt(h, hints)).as("nothing left to rewrite").isSameAs(h);
        ModelProto noHints = IntegerProducts.SEVEN_BIT_WEIGHTS.adapt(m);
        assertThat(initializer(noHints, "w").getDataType()).as("without hints the 7-bit form is the unsigned one")
                .isEqualTo(TensorProto.DataType.UINT8_VALUE);
        assertThat(IntegerProducts.SEVEN_BIT_WEIGHTS.weightLevels()).isEqualTo(64);
        assertThat(IntegerProducts.UNSIGNED_WEIGHTS.weightLevels()).isEqualTo(127);
    }

    /**
     * Halving with the importer's rounding bits gives what quantising the fp32 weights to 7 bits
     * directly gives, and the 7-bit form on this CPU sums those weights exactly on inputs at the top
     * of their range (where the signed form saturates without VNNI).
     */
    @Test
    void theSevenBitFormRebuildsTheDirect7BitQuantisationAndSumsItExactly() throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        byte[] a = new byte[ROWS * K];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i % 7 == 0 ? r.nextInt(256) : 255);
        }
        float[] x = new float[K * N];
        float[] scale = new float[N];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble(-1, 1) * (i % 5 == 0 ? 1 : 0.98 + 0.02 * r.nextDouble()));
            scale[i % N] = Math.max(scale[i % N], Math.abs(x[i]));
        }
        byte[] q = new byte[x.length];
        for (int c = 0; c < N; c++) {
            scale[c] /= 127;
        }
        for (int i = 0; i < x.length; i++) {
            q[i] = (byte) Math.round(x[i] / scale[i % N]);
        }
        float[] direct = new float[ROWS * N];
        float[] eightBit = new float[ROWS * N];
        for (int i = 0; i < ROWS; i++) {
            for (int c = 0; c < N; c++) {
                long d = 0;
                long e = 0;
                for (int k = 0; k < K; k++) {
                    int v = (a[i * K + k] & 0xff) - 128;
                    d += v * (long) Math.round(x[k * N + c] / (2 * scale[c]));
                    e += v * (long) q[k * N + c];
                }
                direct[i * N + c] = (float) d * (2 * scale[c]);
                eightBit[i * N + c] = (float) e * scale[c];
            }
        }
        GraphBuilder g = new GraphBuilder("pairs-float");
        String in = g.input("a", TensorProto.DataType.UINT8_VALUE, ROWS, K);
        String azp = g.initializerBytes("a_zp", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) 128});
        String wq = g.initializerBytes("w", TensorProto.DataType.INT8_VALUE, q, K, N);
        g.roundingHint(wq, IntegerProducts.roundUpBits(x, q, scale));
        String y = g.msNode("MatMulIntegerToFloat", List.of(in, wq, g.scalar(1f), g.initializer("w_scale", scale, N), azp));
        g.node("Identity", List.of(y), List.of("y"));
        g.output("y", TensorProto.DataType.FLOAT_VALUE, ROWS, N);
        ModelProto model = g.build();
        ModelProto halved = IntegerProducts.SEVEN_BIT_WEIGHTS.adapt(model, g.roundingHints());
        byte[] w7 = initializer(halved, "w").getRawData().toByteArray();
        for (int i = 0; i < w7.length; i++) {
            assertThat((int) w7[i]).as("weight %d", i).isEqualTo(Math.round(x[i] / (2 * scale[i % N])));
        }
        System.out.println("IntegerProductsTest: signed weights exact here for MatMulIntegerToFloat: "
                + java.util.Arrays.equals(runFloat(model, a), eightBit));
        float[] got = runFloat(halved, a);
        for (int i = 0; i < got.length; i++) {
            // Exact integer sums; the float products of sum and scales may round differently by an ulp or two.
            assertThat(got[i]).as("y[%d]", i).isCloseTo(direct[i], org.assertj.core.api.Assertions.within(Math.ulp(direct[i]) * 4));
        }
        assertThat(runFloat(IntegerProducts.UNSIGNED_WEIGHTS.adapt(model), a)).as("the unsigned form: the 8-bit sums")
                .usingElementComparator((p, o) -> Math.abs(p - o) <= Math.ulp(o) * 4 ? 0 : 1).containsExactly(toBoxed(eightBit));
    }

    private static Float[] toBoxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }

    /**
     * uint8 activations at the top of their range times int8 weights at the top of theirs: every
     * pair of neighbouring products is 2 x 255 x 127, which a 16-bit lane cannot hold. The form this
     * CPU runs, and the unsigned form everywhere, must give the exact integer sums.
     */
    @Test
    void theFormThisCpuRunsIsExactWhereAPairOfProductsOverflows16Bits() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        byte[] a = new byte[ROWS * K];
        byte[] w = new byte[K * N];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i % 7 == 0 ? r.nextInt(256) : 255);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (i % 5 == 0 ? r.nextInt(-127, 128) : 127);
        }
        int[] exact = new int[ROWS * N];
        for (int i = 0; i < ROWS; i++) {
            for (int c = 0; c < N; c++) {
                int s = 0;
                for (int k = 0; k < K; k++) {
                    s += ((a[i * K + k] & 0xff) - 128) * w[k * N + c];
                }
                exact[i * N + c] = s;
            }
        }
        GraphBuilder g = new GraphBuilder("pairs");
        String in = g.input("a", TensorProto.DataType.UINT8_VALUE, ROWS, K);
        String azp = g.initializerBytes("a_zp", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) 128});
        String wq = g.initializerBytes("w", TensorProto.DataType.INT8_VALUE, w, K, N);
        g.node("MatMulInteger", List.of(in, wq, azp), List.of("y"));
        g.output("y", TensorProto.DataType.INT32_VALUE, ROWS, N);
        ModelProto model = g.build();
        IntegerProducts here = IntegerProducts.forThisMachine();
        System.out.println("IntegerProductsTest: this CPU runs " + here + "; signed weights exact here: "
                + java.util.Arrays.equals(run(model, a), exact));
        for (IntegerProducts form : EnumSet.of(here, IntegerProducts.UNSIGNED_WEIGHTS)) {
            assertThat(run(form.adapt(model), a)).as(form.toString()).containsExactly(exact);
        }
        // A session made from a file goes through the same rewrite.
        Path file = tmp.resolve("pairs.onnx");
        Files.write(file, model.toByteArray());
        byte[] adapted = here.sessionBytes(file);
        assertThat(adapted == null).isEqualTo(here == IntegerProducts.SIGNED_WEIGHTS);
        if (adapted != null) {
            assertThat(run(ModelProto.parseFrom(adapted), a)).containsExactly(exact);
        }
        Path plain = tmp.resolve("plain.onnx");
        GraphBuilder f = new GraphBuilder("float");
        f.node("Identity", List.of(f.input("x", TensorProto.DataType.FLOAT_VALUE, 2)), List.of("y"));
        f.output("y", TensorProto.DataType.FLOAT_VALUE, 2);
        Files.write(plain, f.build().toByteArray());
        assertThat(IntegerProducts.UNSIGNED_WEIGHTS.sessionBytes(plain)).as("no integer product: the file as it is").isNull();
    }

    private static int[] run(ModelProto model, byte[] a) throws Exception {
        return output(model, a, y -> {
            IntBuffer b = y.getIntBuffer();
            int[] out = new int[b.remaining()];
            b.get(out);
            return out;
        });
    }

    private static float[] runFloat(ModelProto model, byte[] a) throws Exception {
        return output(model, a, y -> {
            java.nio.FloatBuffer b = y.getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        });
    }

    /** The model's first output for the uint8 input {@code a [ROWS, K]}, read by {@code read}. */
    private static <T> T output(ModelProto model, byte[] a, java.util.function.Function<OnnxTensor, T> read) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(model.toByteArray(), opts);
                OnnxTensor t = OnnxTensor.createTensor(env, ByteBuffer.wrap(a), new long[] {ROWS, K},
                        ai.onnxruntime.OnnxJavaType.UINT8);
                OrtSession.Result res = s.run(Map.of("a", t))) {
            return read.apply((OnnxTensor) res.get(0));
        }
    }

    private static TensorProto initializer(ModelProto m, String name) {
        return m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }
}
