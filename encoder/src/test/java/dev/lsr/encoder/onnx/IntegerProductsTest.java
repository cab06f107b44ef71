package dev.lsr.encoder.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
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
    void vnniOrANonX86CpuKeepsSignedWeightsAndOtherX86CpusShiftThem() {
        assertThat(IntegerProducts.forCpu("amd64", Set.of("avx2", "avx512f", "avx512_vnni"))).isEqualTo(IntegerProducts.SIGNED_WEIGHTS);
        assertThat(IntegerProducts.forCpu("amd64", Set.of("avx2", "avx_vnni"))).isEqualTo(IntegerProducts.SIGNED_WEIGHTS);
        assertThat(IntegerProducts.forCpu("amd64", Set.of("avx2", "fma"))).isEqualTo(IntegerProducts.UNSIGNED_WEIGHTS);
        assertThat(IntegerProducts.forCpu("amd64", Set.of("avx512f", "avx512bw"))).isEqualTo(IntegerProducts.UNSIGNED_WEIGHTS);
        assertThat(IntegerProducts.forCpu("x86_64", null)).as("flags unknown").isEqualTo(IntegerProducts.UNSIGNED_WEIGHTS);
        assertThat(IntegerProducts.forCpu("aarch64", Set.of())).isEqualTo(IntegerProducts.SIGNED_WEIGHTS);
        assertThat(IntegerProducts.cpuFlags("processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512_vnni\n\nprocessor\t: 1\n"))
                .containsExactlyInAnyOrder("fpu", "avx2", "avx512_vnni");
        assertThat(IntegerProducts.cpuFlags("no flags here")).isEmpty();
        String before = System.getProperty(IntegerProducts.PROPERTY);
        try {
            System.setProperty(IntegerProducts.PROPERTY, "Unsigned");
            assertThat(IntegerProducts.forThisMachine()).isEqualTo(IntegerProducts.UNSIGNED_WEIGHTS);
            System.setProperty(IntegerProducts.PROPERTY, "signed");
            assertThat(IntegerProducts.forThisMachine()).isEqualTo(IntegerProducts.SIGNED_WEIGHTS);
            System.setProperty(IntegerProducts.PROPERTY, "u8");
            assertThatThrownBy(IntegerProducts::forThisMachine).hasMessageContaining(IntegerProducts.PROPERTY)
                    .hasMessageContaining("'u8'");
        } finally {
            if (before == null) {
                System.clearProperty(IntegerProducts.PROPERTY);
            } else {
                System.setProperty(IntegerProducts.PROPERTY, before);
            }
        }
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
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(model.toByteArray(), opts);
                OnnxTensor t = OnnxTensor.createTensor(env, ByteBuffer.wrap(a), new long[] {ROWS, K},
                        ai.onnxruntime.OnnxJavaType.UINT8);
                OrtSession.Result res = s.run(Map.of("a", t))) {
            IntBuffer y = ((OnnxTensor) res.get(0)).getIntBuffer();
            int[] out = new int[y.remaining()];
            y.get(out);
            return out;
        }
    }

    private static TensorProto initializer(ModelProto m, String name) {
        return m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }
}
