package dev.lsr.encoder.onnx;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link OrtBody} sessions of one file, each created on first use, one per intra-op thread count.
 * The query body is one: processes that only encode documents on body.onnx or run inference-free
 * queries never pay for its session; body.onnx is one too, never loaded while documents and queries
 * both run the q8 query body. Document workers ({@code SparseEncoder}'s data-parallel batches) ask
 * for a one-thread session of the file that queries run with all threads: ONNX Runtime runs a
 * one-thread session on the calling thread, so several workers share it, each on its own core.
 * The file's checksum is verified when the model directory is opened, not here.
 */
public final class LazyOrtBody implements AutoCloseable {

    private final Path model;
    private final int intraOpThreads;
    private final IntegerProducts products;
    private final Map<Integer, OrtBody> sessions = new TreeMap<>();
    private boolean closed;

    /** @param products the form of int8 products the sessions run (see {@link IntegerProducts}) */
    public LazyOrtBody(Path model, int intraOpThreads, IntegerProducts products) {
        this.model = model;
        this.intraOpThreads = intraOpThreads;
        this.products = products;
    }

    /** The session with the thread count given at construction. */
    public OrtBody get() throws OrtException, IOException {
        return get(intraOpThreads);
    }

    /** The session with {@code threads} intra-op threads, created on first use. */
    public synchronized OrtBody get(int threads) throws OrtException, IOException {
        if (closed) {
            throw new IllegalStateException(model + ": the encoder is closed");
        }
        OrtBody body = sessions.get(threads);
        if (body == null) {
            body = new OrtBody(model, threads, products);
            sessions.put(threads, body);
        }
        return body;
    }

    /** Whether any session has been created. */
    public synchronized boolean loaded() {
        return !sessions.isEmpty();
    }

    @Override
    public synchronized void close() throws OrtException {
        closed = true;
        OrtException first = null;
        for (OrtBody b : sessions.values()) {
            try {
                b.close();
            } catch (OrtException e) {
                first = first == null ? e : first;
            }
        }
        sessions.clear();
        if (first != null) {
            throw first;
        }
    }
}
