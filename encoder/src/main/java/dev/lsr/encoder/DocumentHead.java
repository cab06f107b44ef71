package dev.lsr.encoder;

/** How documents (and {@link SparseEncoder#maxLogits}) run the vocabulary projection and max over tokens. */
public enum DocumentHead {
    /** The model's choice: model.json's {@code document_head} (the fused head when unset). */
    MODEL,
    /** The fused Java kernel on head.bin ({@code FusedHead}), as queries always run it. */
    FUSED,
    /** head.bin's weights as an int8 x int8 ONNX Runtime graph ({@code OnnxInt8Head}): faster on long documents. */
    ONNX_INT8
}
