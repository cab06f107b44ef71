package dev.lsr.eval.bench;

import com.google.protobuf.UnsafeByteOperations;
import dev.lsr.encoder.head.HeadWeights;
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

/**
 * Builds the unfused head as an ONNX graph: {@code hidden [tokens, H] -> MatMul(W^T [H, V]) ->
 * Add(bias [V]) -> ReduceMax(axis 0)}, i.e. the same projection and max as the fused head, with the
 * {@code [tokens x V]} logits materialised between the nodes as any exported model does.
 */
public final class OnnxHeadGraph {

    public static final String INPUT = "hidden";
    public static final String OUTPUT = "max_logits";
    /** ONNX IR and opset versions the bundled ONNX Runtime accepts; opset 17 still takes ReduceMax axes as an attribute. */
    static final long IR_VERSION = 8;
    static final long OPSET = 17;

    private OnnxHeadGraph() {}

    /** The serialised model. W is taken dequantised from the head file, so any dtype works. */
    public static byte[] build(HeadWeights w) {
        int h = w.hidden();
        int v = w.vocab();
        ByteBuffer wt = ByteBuffer.allocate(Math.multiplyExact(4 * h, v)).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < h; k++) {
            for (int r = 0; r < v; r++) {
                wt.putFloat(w.weight(r, k));
            }
        }
        ByteBuffer bias = ByteBuffer.allocate(4 * v).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < v; r++) {
            bias.putFloat(w.bias(r));
        }
        TensorProto wTensor = TensorProto.newBuilder().setName("W_t").addDims(h).addDims(v)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(UnsafeByteOperations.unsafeWrap(wt.array())).build();
        TensorProto biasTensor = TensorProto.newBuilder().setName("bias").addDims(v)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(UnsafeByteOperations.unsafeWrap(bias.array())).build();
        GraphProto graph = GraphProto.newBuilder()
                .setName("lsr_unfused_head")
                .addInitializer(wTensor)
                .addInitializer(biasTensor)
                .addInput(tensor(INPUT, dimParam("tokens"), dimValue(h)))
                .addOutput(tensor(OUTPUT, dimValue(v)))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("projection")
                        .addInput(INPUT).addInput("W_t").addOutput("logits"))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("bias_add")
                        .addInput("logits").addInput("bias").addOutput("biased_logits"))
                .addNode(NodeProto.newBuilder().setOpType("ReduceMax").setName("max_over_tokens")
                        .addInput("biased_logits").addOutput(OUTPUT)
                        .addAttribute(AttributeProto.newBuilder().setName("axes")
                                .setType(AttributeProto.AttributeType.INTS).addInts(0))
                        .addAttribute(AttributeProto.newBuilder().setName("keepdims")
                                .setType(AttributeProto.AttributeType.INT).setI(0)))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("lsr-bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static TensorShapeProto.Dimension dimValue(long n) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(n).build();
    }

    private static TensorShapeProto.Dimension dimParam(String name) {
        return TensorShapeProto.Dimension.newBuilder().setDimParam(name).build();
    }

    private static ValueInfoProto tensor(String name, TensorShapeProto.Dimension... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (TensorShapeProto.Dimension d : dims) {
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }
}
