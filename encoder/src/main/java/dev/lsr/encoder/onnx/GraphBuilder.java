package dev.lsr.encoder.onnx;

import com.google.protobuf.ByteString;
import dev.lsr.encoder.onnx.proto.AttributeProto;
import dev.lsr.encoder.onnx.proto.GraphProto;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.NodeProto;
import dev.lsr.encoder.onnx.proto.OperatorSetIdProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import dev.lsr.encoder.onnx.proto.TensorShapeProto;
import dev.lsr.encoder.onnx.proto.TypeProto;
import dev.lsr.encoder.onnx.proto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Writes ONNX graphs node by node: inputs, outputs, initializers (raw little-endian data) and nodes
 * with generated output names. Used by the BERT checkpoint importer and by tests that need small
 * graphs of a known shape. Not thread-safe; one builder per graph.
 */
public final class GraphBuilder {

    /** IR version and opset we write: accepted by ONNX Runtime 1.29, and opset 17 has LayerNormalization. */
    public static final long IR_VERSION = 8;
    public static final long OPSET = 17;
    /** ONNX Runtime's contrib operators (Attention, SkipLayerNormalization, FastGelu, ...). */
    public static final String MS_DOMAIN = "com.microsoft";

    private final GraphProto.Builder graph;
    private final GraphProto.Builder roundingHints;
    private int counter;
    private boolean usesMsDomain;

    public GraphBuilder(String name) {
        this.graph = GraphProto.newBuilder().setName(name);
        this.roundingHints = GraphProto.newBuilder().setName(name + "-7bit-rounding");
    }

    /**
     * Records, for the int8 weight initializer {@code weights}, which of its values round up when
     * halved to 7 bits ({@link IntegerProducts#roundUpBits}); the graph itself is unchanged.
     */
    public void roundingHint(String weights, byte[] roundUpBits) {
        roundingHints.addInitializer(TensorProto.newBuilder().setName(weights).setDataType(TensorProto.DataType.UINT8_VALUE)
                .addDims(roundUpBits.length).setRawData(ByteString.copyFrom(roundUpBits)));
    }

    /** The rounding hints recorded so far, one UINT8 tensor of packed bits per weight tensor (none: no initializers). */
    public GraphProto roundingHints() {
        return roundingHints.build();
    }

    /** A named attribute; build with the static factories. */
    public record Attr(AttributeProto proto) {
        public static Attr i(String name, long v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build());
        }

        public static Attr f(String name, float v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build());
        }

        public static Attr ints(String name, long... v) {
            AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long x : v) {
                b.addInts(x);
            }
            return new Attr(b.build());
        }

        public static Attr s(String name, String v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(v)).build());
        }
    }

    /** @param dims each a {@code Number} (fixed size) or a {@code String} (symbolic dimension) */
    public static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                dim.setDimParam(String.valueOf(d));
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
    }

    public String input(String name, int elemType, Object... dims) {
        graph.addInput(valueInfo(name, elemType, dims));
        return name;
    }

    public void output(String name, int elemType, Object... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    public static TensorProto floatTensor(String name, float[] data, long... dims) {
        check(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(Arrays.stream(dims).boxed().toList())
                .setRawData(ByteString.copyFrom(buf.array())).build();
    }

    public static TensorProto longTensor(String name, long[] data, long... dims) {
        check(name, data.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addAllDims(Arrays.stream(dims).boxed().toList())
                .setRawData(ByteString.copyFrom(buf.array())).build();
    }

    private static void check(String name, int length, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("initializer " + name + ": " + length + " values for shape " + Arrays.toString(dims));
        }
    }

    public String initializer(String name, float[] data, long... dims) {
        graph.addInitializer(floatTensor(name, data, dims));
        return name;
    }

    /** A float initializer from raw little-endian float32 bytes (copied once, never converted). */
    public String initializerRaw(String name, ByteBuffer littleEndianFloats, long... dims) {
        check(name, littleEndianFloats.remaining() / 4, dims);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(Arrays.stream(dims).boxed().toList())
                .setRawData(ByteString.copyFrom(littleEndianFloats.duplicate())).build());
        return name;
    }

    /** An initializer of any element type from its raw little-endian bytes. */
    public String initializerBytes(String name, int dataType, byte[] raw, long... dims) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(dataType)
                .addAllDims(Arrays.stream(dims).boxed().toList())
                .setRawData(ByteString.copyFrom(raw)).build());
        return name;
    }

    public String initializerLongs(String name, long[] data, long... dims) {
        graph.addInitializer(longTensor(name, data, dims));
        return name;
    }

    /** A float scalar constant (as an initializer with a generated name). */
    public String scalar(float v) {
        return initializer("const_" + (counter++), new float[] {v});
    }

    /** An int64 1-D constant, e.g. a shape for Reshape or axes for Unsqueeze. */
    public String longs(long... v) {
        return initializerLongs("const_" + (counter++), v, v.length);
    }

    /** Adds a node with one output (a generated name) and returns that name. */
    public String node(String opType, List<String> inputs, Attr... attrs) {
        String out = opType.toLowerCase() + "_" + (counter++);
        node(opType, inputs, List.of(out), attrs);
        return out;
    }

    public String node(String opType, String... inputs) {
        return node(opType, List.of(inputs));
    }

    /** Adds a node with the given output names. */
    public void node(String opType, List<String> inputs, List<String> outputs, Attr... attrs) {
        graph.addNode(nodeProto(opType, inputs, outputs, attrs));
    }

    /**
     * Adds an ONNX Runtime contrib operator ({@value #MS_DOMAIN} domain) with one output and returns
     * its name; the model then imports that domain. An empty input name means an omitted optional input.
     */
    public String msNode(String opType, List<String> inputs, Attr... attrs) {
        String out = opType.toLowerCase() + "_" + (counter++);
        graph.addNode(nodeProto(opType, inputs, List.of(out), attrs).toBuilder().setDomain(MS_DOMAIN));
        usesMsDomain = true;
        return out;
    }

    private NodeProto nodeProto(String opType, List<String> inputs, List<String> outputs, Attr... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(opType + "_n" + (counter++))
                .addAllInput(inputs).addAllOutput(outputs);
        for (Attr a : attrs) {
            n.addAttribute(a.proto());
        }
        return n.build();
    }

    public ModelProto build() {
        return build(IR_VERSION, OPSET);
    }

    public ModelProto build(long irVersion, long opset) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(irVersion).setProducerName("lsr")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
        if (usesMsDomain) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
        }
        return m.setGraph(graph.build()).build();
    }
}
