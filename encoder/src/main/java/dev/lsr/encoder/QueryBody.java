package dev.lsr.encoder;

import dev.lsr.encoder.onnx.IntegerProducts;

/** Which body full-mode queries run ({@link EncoderOptions#queryBody()}). */
public enum QueryBody {
    /**
     * The faster of the two on this CPU: the model's query body ({@code query_body.onnx}, q8 through
     * ONNX Runtime's {@code MatMulNBits}) when it has one, except on x86 without VNNI when
     * {@code body.onnx} is the sq8 body: there the q8 kernel has no VNNI to use and the sq8 body
     * answered in 27.1 instead of 42.0 ms (p50, 1 thread, AVX2 Zen3, encoder/README.md). Without a
     * query body, {@code body.onnx}.
     */
    MODEL,
    /** The model's query body when it has one, else {@code body.onnx}, on every CPU. */
    QUERY,
    /** {@code body.onnx}, the body documents run unless model.json says otherwise. */
    DOCUMENT;

    /**
     * Whether a model with a query body answers queries with it under this choice.
     *
     * @param bodyDtype model.json's {@code body_dtype} (may be null)
     * @param integerProducts the int8 form this CPU computes exactly ({@link IntegerProducts#forThisMachine()})
     */
    boolean runsQueryBody(String bodyDtype, IntegerProducts integerProducts) {
        return switch (this) {
            case QUERY -> true;
            case DOCUMENT -> false;
            case MODEL -> !("sq8".equals(bodyDtype) && integerProducts != IntegerProducts.SIGNED_WEIGHTS);
        };
    }
}
