package dev.lsr.encoder;

/** How queries are encoded. */
public enum QueryMode {
    /** Run the model, as for documents. */
    FULL,
    /** Look each query piece up in a token -> weight table; no model run at query time. */
    INFERENCE_FREE
}
