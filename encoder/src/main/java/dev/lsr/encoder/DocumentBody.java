package dev.lsr.encoder;

/** Which body documents (and {@link SparseEncoder#maxLogits}) run. */
public enum DocumentBody {
    /** The model's choice: model.json's {@code document_body_dtype} (body.onnx when unset). */
    MODEL,
    /** {@code body.onnx}, the exact reference body. */
    BODY,
    /** {@code query_body.onnx}, the model's q8 body: faster on document batches too, close to fp32. */
    QUANTISED
}
