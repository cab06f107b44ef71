package dev.lsr.encoder.onnx;

import ai.onnxruntime.OrtException;
import dev.lsr.encoder.head.HeadWeights;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link OnnxInt8Head} sessions built on first use, one per intra-op thread count: processes that
 * only encode queries never quantise the head or hold its session (23 MB of int8 weights), and
 * document workers share a one-thread session (see {@link LazyOrtBody}).
 */
public final class LazyOnnxInt8Head implements AutoCloseable {

    private final HeadWeights weights;
    private final int threads;
    private final IntegerProducts products;
    private final Map<Integer, OnnxInt8Head> heads = new TreeMap<>();
    private boolean closed;

    /** @param products the form of int8 products the sessions run (see {@link IntegerProducts}) */
    public LazyOnnxInt8Head(HeadWeights weights, int threads, IntegerProducts products) {
        this.weights = weights;
        this.threads = threads;
        this.products = products;
    }

    /** The session with the thread count given at construction. */
    public OnnxInt8Head get() throws OrtException {
        return get(threads);
    }

    /** The session with {@code intraOpThreads} threads, built on first use. */
    public synchronized OnnxInt8Head get(int intraOpThreads) throws OrtException {
        if (closed) {
            throw new IllegalStateException(weights.file() + ": the encoder is closed");
        }
        OnnxInt8Head head = heads.get(intraOpThreads);
        if (head == null) {
            head = new OnnxInt8Head(weights, intraOpThreads, products);
            heads.put(intraOpThreads, head);
        }
        return head;
    }

    /** Whether any session has been created. */
    public synchronized boolean loaded() {
        return !heads.isEmpty();
    }

    @Override
    public synchronized void close() throws OrtException {
        closed = true;
        OrtException first = null;
        for (OnnxInt8Head h : heads.values()) {
            try {
                h.close();
            } catch (OrtException e) {
                first = first == null ? e : first;
            }
        }
        heads.clear();
        if (first != null) {
            throw first;
        }
    }
}
