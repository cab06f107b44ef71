package dev.lsr.encoder.onnx;

import ai.onnxruntime.OrtException;
import dev.lsr.encoder.head.HeadWeights;

/**
 * An {@link OnnxInt8Head} built on first use: processes that only encode queries never quantise
 * the head or hold its session (23 MB of int8 weights).
 */
public final class LazyOnnxInt8Head implements AutoCloseable {

    private final HeadWeights weights;
    private final int threads;
    private OnnxInt8Head head;
    private boolean closed;

    public LazyOnnxInt8Head(HeadWeights weights, int threads) {
        this.weights = weights;
        this.threads = threads;
    }

    public synchronized OnnxInt8Head get() throws OrtException {
        if (closed) {
            throw new IllegalStateException(weights.file() + ": the encoder is closed");
        }
        if (head == null) {
            head = new OnnxInt8Head(weights, threads);
        }
        return head;
    }

    /** Whether the session has been created. */
    public synchronized boolean loaded() {
        return head != null;
    }

    @Override
    public synchronized void close() throws OrtException {
        closed = true;
        if (head != null) {
            head.close();
            head = null;
        }
    }
}
