package dev.lsr.encoder.model;

import dev.lsr.encoder.onnx.IntegerProducts;
import dev.lsr.encoder.onnx.proto.GraphProto;
import dev.lsr.encoder.onnx.proto.ModelProto;

/**
 * A body graph as the model writer writes it: the ONNX model, and the rounding hints of its int8
 * weights ({@link IntegerProducts#roundUpBits}, written beside it as {@code <file>}{@value
 * IntegerProducts#HINTS_SUFFIX} when there are any).
 */
record BodyGraph(ModelProto model, GraphProto roundingHints) {

    /** A graph without int8 weights to hint at. */
    static BodyGraph of(ModelProto model) {
        return new BodyGraph(model, GraphProto.getDefaultInstance());
    }

    boolean hasHints() {
        return roundingHints.getInitializerCount() > 0;
    }
}
