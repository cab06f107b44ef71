package dev.lsr.encoder.onnx;

import com.google.protobuf.ByteString;
import dev.lsr.encoder.onnx.proto.GraphProto;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.NodeProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The form of 8-bit integer products ({@code MatMulIntegerToFloat}, {@code MatMulInteger},
 * {@code DynamicQuantizeMatMul}) that ONNX Runtime computes exactly on this CPU.
 *
 * <p>Why: lsr's int8 graphs (the sq8 and int8 bodies, the int8 document head) multiply uint8
 * activations (zero point 128) by int8 weights. With VNNI, MLAS accumulates those products in 32
 * bits. On x86 without VNNI (AVX2, AVX-512 without VNNI) its u8 x s8 kernel uses {@code vpmaddubsw},
 * which adds each pair of neighbouring products in a saturating 16-bit lane: {@code 2 x 255 x 127}
 * does not fit, and large activations meeting large weights come out clipped (relative errors of
 * 10% and more on single outputs, measured on an AVX2 Zen 4 machine). Shifting the weights to uint8
 * with zero point 128 runs MLAS's u8 x u8 kernel instead, which widens to 16 bits before it
 * multiplies: the same integers, summed exactly, at some cost in speed. The graphs are written in
 * the signed form (the faster one where it is exact) and rewritten for this CPU when a session is
 * created ({@link #adapt}), so a model directory imported on one machine runs correctly on another.
 */
public enum IntegerProducts {

    /** uint8 x int8 as written: exact with VNNI, and on CPUs other than x86. */
    SIGNED_WEIGHTS,
    /** Weights shifted to uint8 (zero point 128): x86 without VNNI. */
    UNSIGNED_WEIGHTS;

    private static final Set<String> VNNI = Set.of("avx512_vnni", "avx_vnni");
    /** Op type -> index of its B zero-point input. */
    private static final Map<String, Integer> B_ZERO_POINT = Map.of(
            "MatMulIntegerToFloat", 5, "MatMulInteger", 3, "DynamicQuantizeMatMul", 3);
    static final String ZERO_POINT_128 = "lsr_u8_zero_point_128";

    /** System property that overrides the choice: {@code signed} or {@code unsigned}. */
    public static final String PROPERTY = "lsr.int8.weights";

    /** This CPU's form, read from {@code /proc/cpuinfo} once per JVM (an encoder opens several sessions). */
    private static final IntegerProducts CPU = detect();

    /**
     * The form for the CPU this JVM runs on: from {@code /proc/cpuinfo}'s flags on x86 Linux; the
     * unsigned form on x86 when the flags cannot be read (exact everywhere, only slower). The
     * system property {@value #PROPERTY} ({@code signed} / {@code unsigned}) overrides it, e.g. to
     * measure both forms on one machine.
     */
    public static IntegerProducts forThisMachine() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            return switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "signed" -> SIGNED_WEIGHTS;
                case "unsigned" -> UNSIGNED_WEIGHTS;
                default -> throw new IllegalArgumentException(
                        "-D" + PROPERTY + " must be signed or unsigned, was '" + forced + "'");
            };
        }
        return CPU;
    }

    private static IntegerProducts detect() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        Set<String> flags = null;
        try {
            flags = cpuFlags(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            // No /proc (not Linux): decided by the architecture alone.
        }
        return forCpu(arch, flags);
    }

    /** @param flags the CPU's flags, null when unknown */
    static IntegerProducts forCpu(String arch, Set<String> flags) {
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.equals("i386");
        if (!x86) {
            return SIGNED_WEIGHTS;
        }
        if (flags != null) {
            for (String f : VNNI) {
                if (flags.contains(f)) {
                    return SIGNED_WEIGHTS;
                }
            }
        }
        return UNSIGNED_WEIGHTS;
    }

    /** The flags of the first processor in a {@code /proc/cpuinfo} text (empty when it has none). */
    static Set<String> cpuFlags(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                return Set.of(line.substring(colon + 1).trim().split("\\s+"));
            }
        }
        return Set.of();
    }

    /**
     * The bytes of {@code model} in this form when it differs from the file (the session is then
     * created from them), else null (created from the file). Only a file that names an integer
     * product is parsed: the fp32 bodies are scanned, not decoded.
     */
    public byte[] sessionBytes(Path model) throws IOException {
        if (this == SIGNED_WEIGHTS || !mentionsIntegerProducts(model)) {
            return null;
        }
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
        ModelProto adapted = adapt(m);
        return adapted == m ? null : adapted.toByteArray();
    }

    private static boolean mentionsIntegerProducts(Path model) throws IOException {
        byte[][] needles = {"MatMulInteger".getBytes(StandardCharsets.US_ASCII),
                "DynamicQuantizeMatMul".getBytes(StandardCharsets.US_ASCII)};
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long n = file.byteSize();
            for (long i = 0; i < n; i++) {
                byte b = file.get(ValueLayout.JAVA_BYTE, i);
                for (byte[] needle : needles) {
                    if (b == needle[0] && i + needle.length <= n && matches(file, i, needle)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static boolean matches(MemorySegment file, long at, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (file.get(ValueLayout.JAVA_BYTE, at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code model} in this form: unchanged for {@link #SIGNED_WEIGHTS}; for
     * {@link #UNSIGNED_WEIGHTS}, every integer product whose weights are an int8 initializer without
     * a zero point reads them as uint8 ({@code w + 128}) with zero point 128. Products with a B
     * zero point of their own, and weights that other nodes read too, are left as they are.
     */
    public ModelProto adapt(ModelProto model) {
        GraphProto graph = model.getGraph();
        Set<String> shifted = this == SIGNED_WEIGHTS ? Set.of() : shiftable(graph);
        if (shifted.isEmpty()) {
            return model;
        }
        GraphProto.Builder g = graph.toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (!rewritable(n) || !shifted.contains(n.getInput(1))) {
                continue;
            }
            int zpIndex = B_ZERO_POINT.get(n.getOpType());
            NodeProto.Builder nb = n.toBuilder();
            while (nb.getInputCount() <= zpIndex) {
                nb.addInput(""); // optional inputs left out are empty names
            }
            nb.setInput(zpIndex, ZERO_POINT_128);
            g.setNode(i, nb);
        }
        boolean hasZeroPoint = false;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            hasZeroPoint |= t.getName().equals(ZERO_POINT_128);
            if (shifted.contains(t.getName())) {
                byte[] raw = int8Values(t);
                for (int j = 0; j < raw.length; j++) {
                    raw[j] ^= (byte) 0x80; // w + 128 as an unsigned byte
                }
                g.setInitializer(i, t.toBuilder().clearInt32Data().setDataType(TensorProto.DataType.UINT8_VALUE)
                        .setRawData(ByteString.copyFrom(raw)));
            }
        }
        if (!hasZeroPoint) {
            g.addInitializer(TensorProto.newBuilder().setName(ZERO_POINT_128).setDataType(TensorProto.DataType.UINT8_VALUE)
                    .setRawData(ByteString.copyFrom(new byte[] {(byte) 128})));
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** The int8 initializers that only rewritable products read, as their weights. */
    private static Set<String> shiftable(GraphProto graph) {
        Set<String> int8 = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.INT8_VALUE) {
                int8.add(t.getName());
            }
        }
        Set<String> weights = new HashSet<>();
        Set<String> kept = new HashSet<>();
        for (NodeProto n : graph.getNodeList()) {
            for (int j = 0; j < n.getInputCount(); j++) {
                String in = n.getInput(j);
                if (int8.contains(in)) {
                    (j == 1 && rewritable(n) ? weights : kept).add(in);
                }
            }
        }
        weights.removeAll(kept);
        return weights;
    }

    /** An integer product with its weights as input 1 and no B zero point of its own. */
    private static boolean rewritable(NodeProto n) {
        Integer zpIndex = B_ZERO_POINT.get(n.getOpType());
        return zpIndex != null && n.getInputCount() > 1
                && (n.getInputCount() <= zpIndex || n.getInput(zpIndex).isEmpty());
    }

    /** An int8 tensor's values, from raw data or (one value per int32) from int32_data. */
    private static byte[] int8Values(TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            return t.getRawData().toByteArray();
        }
        List<Integer> values = t.getInt32DataList();
        byte[] raw = new byte[values.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (int) values.get(i);
        }
        return raw;
    }
}
