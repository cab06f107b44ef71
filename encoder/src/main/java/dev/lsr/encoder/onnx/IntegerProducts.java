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
import java.util.HashMap;
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
    /** Weights shifted to uint8 (zero point 128): exact on x86 without VNNI, the slower kernel there. */
    UNSIGNED_WEIGHTS,
    /**
     * Weights requantised to 7 bits (in [-64, 64], their scale doubled), still int8: {@code 2 x 255 x
     * 64} fits a 16-bit lane, so MLAS's u8 x s8 kernel is exact on x86 without VNNI and runs at its
     * own speed, faster than u8 x u8, at twice the weights' rounding step. Each 7-bit value is the
     * one a direct quantisation of the fp32 weight gives, rebuilt from the int8 value and one
     * rounding bit the importer wrote beside the graph ({@value #HINTS_SUFFIX}); weights without
     * such hints, and products without a scale initializer to double ({@code MatMulInteger}), are
     * shifted as {@link #UNSIGNED_WEIGHTS}.
     */
    SEVEN_BIT_WEIGHTS;

    private static final Set<String> VNNI = Set.of("avx512_vnni", "avx_vnni");
    /** Op type -> index of its B zero-point input. */
    private static final Map<String, Integer> B_ZERO_POINT = Map.of(
            "MatMulIntegerToFloat", 5, "MatMulInteger", 3, "DynamicQuantizeMatMul", 3);
    /** Op type -> index of its B scale input (MatMulInteger has none: its caller scales the sums). */
    private static final Map<String, Integer> B_SCALE = Map.of("MatMulIntegerToFloat", 3, "DynamicQuantizeMatMul", 2);
    static final String ZERO_POINT_128 = "lsr_u8_zero_point_128";
    /** Suffix of a doubled scale's initializer (the 7-bit form). */
    static final String DOUBLED = "_lsr_x2";
    /** The largest |weight| the u8 x s8 kernel sums exactly without VNNI: {@code 2 x 255 x 64 <= 32767}. */
    public static final int SEVEN_BIT_LEVELS = 64;
    /** The rounding hints of {@code X.onnx} are in {@code X.onnx} + this: a GraphProto of packed bits per weight tensor. */
    public static final String HINTS_SUFFIX = ".round7";

    /** System property that overrides the choice: {@code signed}, {@code unsigned} or {@code 7bit}. */
    public static final String PROPERTY = "lsr.int8.weights";

    /** This CPU's form, read from {@code /proc/cpuinfo} once per JVM (an encoder opens several sessions). */
    private static final IntegerProducts CPU = detect();

    /**
     * The form for the CPU this JVM runs on, from {@code /proc/cpuinfo}'s flags on x86 Linux: signed
     * with VNNI, else the 7-bit form (also when the flags cannot be read: exact everywhere); signed
     * on other architectures. The system property {@value #PROPERTY} ({@code signed} / {@code
     * unsigned} / {@code 7bit}) overrides it, e.g. to measure the forms on one machine.
     */
    public static IntegerProducts forThisMachine() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            return switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "signed" -> SIGNED_WEIGHTS;
                case "unsigned" -> UNSIGNED_WEIGHTS;
                case "7bit" -> SEVEN_BIT_WEIGHTS;
                default -> throw new IllegalArgumentException(
                        "-D" + PROPERTY + " must be signed, unsigned or 7bit, was '" + forced + "'");
            };
        }
        return CPU;
    }

    /**
     * The form full-mode queries run body.onnx in: this one, except 8-bit weights (unsigned) where
     * documents run 7-bit ones. 7-bit queries cost quality that 7-bit documents do not (SciFact train,
     * AVX2: exact full-mode nDCG@10 0.4597 with 7-bit queries against 0.4665 with 8-bit ones, the same
     * 7-bit documents; fp32 0.4677), and a query's few tokens gain little from the faster kernel.
     */
    public IntegerProducts forQueries() {
        return this == SEVEN_BIT_WEIGHTS ? UNSIGNED_WEIGHTS : this;
    }

    /** This form's name as {@value #PROPERTY} takes it: {@code signed}, {@code unsigned} or {@code 7bit}. */
    public String propertyValue() {
        return switch (this) {
            case SIGNED_WEIGHTS -> "signed";
            case UNSIGNED_WEIGHTS -> "unsigned";
            case SEVEN_BIT_WEIGHTS -> "7bit";
        };
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
        return SEVEN_BIT_WEIGHTS;
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
        Path hintsFile = model.resolveSibling(model.getFileName() + HINTS_SUFFIX);
        GraphProto hints = this == SEVEN_BIT_WEIGHTS && Files.isRegularFile(hintsFile)
                ? GraphProto.parseFrom(Files.readAllBytes(hintsFile)) : GraphProto.getDefaultInstance();
        ModelProto adapted = adapt(m, hints);
        return adapted == m ? null : adapted.toByteArray();
    }

    /**
     * Which values of an int8 tensor round up when halved to 7 bits, packed 8 per byte (bit
     * {@code i % 8} of byte {@code i / 8}): an odd {@code q = 2j + 1} stands for an fp32 value whose
     * half lies in {@code [j + 1/4, j + 3/4]} steps, so one bit per value (whether {@code value / scale
     * >= q}) is what {@code round(value / (2 scale))} needs beyond q; even values halve exactly.
     *
     * @param values the fp32 values, row-major {@code [rows][columns]}
     * @param q their int8 quantisation, same layout
     * @param columnScales one scale per column ({@code value ~ q * scale})
     */
    public static byte[] roundUpBits(float[] values, byte[] q, float[] columnScales) {
        int columns = columnScales.length;
        byte[] bits = new byte[(q.length + 7) / 8];
        for (int i = 0; i < q.length; i++) {
            if ((q[i] & 1) != 0 && values[i] / columnScales[i % columns] >= q[i]) {
                bits[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return bits;
    }

    private static boolean mentionsIntegerProducts(Path model) throws IOException {
        byte[][] needles = {"MatMulInteger".getBytes(StandardCharsets.US_ASCII),
                "DynamicQuantizeMatMul".getBytes(StandardCharsets.US_ASCII)};
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ); Arena arena = Arena.ofShared()) {
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
     * The largest |weight| an int8 weight tensor may hold in this form: 127, or
     * {@value #SEVEN_BIT_LEVELS} for {@link #SEVEN_BIT_WEIGHTS} (what a graph built at load, such as
     * the int8 document head, quantises to directly instead of being rewritten).
     */
    public int weightLevels() {
        return this == SEVEN_BIT_WEIGHTS ? SEVEN_BIT_LEVELS : 127;
    }

    /** {@code model} in this form, without rounding hints: see {@link #adapt(ModelProto, GraphProto)}. */
    public ModelProto adapt(ModelProto model) {
        return adapt(model, GraphProto.getDefaultInstance());
    }

    /**
     * {@code model} in this form: unchanged for {@link #SIGNED_WEIGHTS}; otherwise every integer
     * product whose weights are an int8 initializer without a zero point, read by nothing else, is
     * rewritten. {@link #UNSIGNED_WEIGHTS}: it reads them as uint8 ({@code w + 128}) with zero point
     * 128. {@link #SEVEN_BIT_WEIGHTS}: weights within [-64, 64] already are left as they are; those
     * with a rounding hint in {@code hints} (a UINT8 tensor of the same name, {@link #roundUpBits}) and
     * a float scale initializer are halved, {@code floor(w / 2) + bit}, and their scale doubled; the
     * rest are shifted as for {@link #UNSIGNED_WEIGHTS}. Products with a B zero point of their own,
     * and weights that other nodes read too, are left as they are.
     */
    public ModelProto adapt(ModelProto model, GraphProto hints) {
        if (this == SIGNED_WEIGHTS) {
            return model;
        }
        GraphProto graph = model.getGraph();
        Set<String> weights = shiftable(graph);
        Map<String, byte[]> roundUp = new HashMap<>();
        for (TensorProto t : hints.getInitializerList()) {
            roundUp.put(t.getName(), t.getRawData().toByteArray());
        }
        Set<String> halved = new HashSet<>();
        Set<String> shifted = new HashSet<>(weights);
        if (this == SEVEN_BIT_WEIGHTS) {
            Set<String> halvable = halvable(graph, weights);
            for (TensorProto t : graph.getInitializerList()) {
                String name = t.getName();
                if (!halvable.contains(name)) {
                    continue;
                }
                if (withinSevenBits(t)) {
                    shifted.remove(name);
                } else if (roundUp.containsKey(name) && roundUp.get(name).length == (valueCount(t) + 7) / 8) {
                    shifted.remove(name);
                    halved.add(name);
                }
            }
        }
        if (shifted.isEmpty() && halved.isEmpty()) {
            return model;
        }
        GraphProto.Builder g = graph.toBuilder();
        Set<String> doubledScales = new HashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (!rewritable(n)) {
                continue;
            }
            if (shifted.contains(n.getInput(1))) {
                int zpIndex = B_ZERO_POINT.get(n.getOpType());
                NodeProto.Builder nb = n.toBuilder();
                while (nb.getInputCount() <= zpIndex) {
                    nb.addInput(""); // optional inputs left out are empty names
                }
                nb.setInput(zpIndex, ZERO_POINT_128);
                g.setNode(i, nb);
            } else if (halved.contains(n.getInput(1))) {
                // The doubled scale gets a name of its own (the original is dropped below when nothing else reads it).
                int scaleIndex = B_SCALE.get(n.getOpType());
                String scale = n.getInput(scaleIndex);
                doubledScales.add(scale);
                g.setNode(i, n.toBuilder().setInput(scaleIndex, scale + DOUBLED));
            }
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
            } else if (halved.contains(t.getName())) {
                g.setInitializer(i, t.toBuilder().clearInt32Data()
                        .setRawData(ByteString.copyFrom(halve(int8Values(t), roundUp.get(t.getName())))));
            }
        }
        Set<String> stillRead = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            stillRead.addAll(n.getInputList());
        }
        for (int i = g.getInitializerCount() - 1; i >= 0; i--) {
            if (doubledScales.contains(g.getInitializer(i).getName()) && !stillRead.contains(g.getInitializer(i).getName())) {
                g.removeInitializer(i); // ONNX Runtime warns about initializers no node reads
            }
        }
        for (TensorProto t : graph.getInitializerList()) {
            if (doubledScales.contains(t.getName())) {
                g.addInitializer(doubled(t));
            }
        }
        if (!shifted.isEmpty() && !hasZeroPoint) {
            g.addInitializer(TensorProto.newBuilder().setName(ZERO_POINT_128).setDataType(TensorProto.DataType.UINT8_VALUE)
                    .setRawData(ByteString.copyFrom(new byte[] {(byte) 128})));
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** {@code floor(q / 2) + bit} for each int8 value (the bit counts for odd values only, {@link #roundUpBits}). */
    private static byte[] halve(byte[] q, byte[] roundUpBits) {
        byte[] out = new byte[q.length];
        for (int j = 0; j < q.length; j++) {
            int bit = (roundUpBits[j >>> 3] >>> (j & 7)) & q[j] & 1;
            out[j] = (byte) ((q[j] >> 1) + bit); // >> 1 rounds towards minus infinity: floor(q / 2)
        }
        return out;
    }

    /** A float scale tensor times two, named {@code name + DOUBLED} (exact: a power of two). */
    private static TensorProto doubled(TensorProto scale) {
        float[] v;
        try {
            v = OnnxTensors.floats(scale, null); // inline: halvable admits no scale stored as external data
        } catch (IOException e) {
            throw new IllegalArgumentException("scale " + scale.getName() + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] *= 2;
        }
        return GraphBuilder.floatTensor(scale.getName() + DOUBLED, v,
                scale.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Of {@code weights}, those every reader of which is a product with a float scale initializer
     * stored inline (so halving the weights can be undone by doubling it, see {@link #doubled}).
     */
    private static Set<String> halvable(GraphProto graph, Set<String> weights) {
        Set<String> floatInitializers = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE && t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                floatInitializers.add(t.getName());
            }
        }
        Set<String> halvable = new HashSet<>(weights);
        for (NodeProto n : graph.getNodeList()) {
            if (rewritable(n) && weights.contains(n.getInput(1))) {
                Integer scaleIndex = B_SCALE.get(n.getOpType());
                if (scaleIndex == null || n.getInputCount() <= scaleIndex || !floatInitializers.contains(n.getInput(scaleIndex))) {
                    halvable.remove(n.getInput(1));
                }
            }
        }
        return halvable;
    }

    /** Every value within [-64, 64]; read in place (int8Values would copy a whole weight tensor to find its first large value). */
    private static boolean withinSevenBits(TensorProto t) {
        ByteString raw = t.getRawData();
        int n = valueCount(t);
        for (int i = 0; i < n; i++) {
            byte v = raw.isEmpty() ? (byte) t.getInt32Data(i) : raw.byteAt(i);
            if (Math.abs(v) > SEVEN_BIT_LEVELS) {
                return false;
            }
        }
        return true;
    }

    private static int valueCount(TensorProto t) {
        return t.getRawData().isEmpty() ? t.getInt32DataCount() : t.getRawData().size();
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
