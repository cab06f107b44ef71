package dev.lsr.encoder.onnx;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;

/**
 * An {@link OrtBody} created on first use. The query body is one: processes that only encode
 * documents on body.onnx or run inference-free queries never pay for its session; body.onnx is one
 * too, never loaded while documents and queries both run the q8 query body.
 * The file's checksum is verified when the model directory is opened, not here.
 */
public final class LazyOrtBody implements AutoCloseable {

    private final Path model;
    private final int intraOpThreads;
    private OrtBody body;
    private boolean closed;

    public LazyOrtBody(Path model, int intraOpThreads) {
        this.model = model;
        this.intraOpThreads = intraOpThreads;
    }

    public synchronized OrtBody get() throws OrtException {
        if (closed) {
            throw new IllegalStateException(model + ": the encoder is closed");
        }
        if (body == null) {
            body = new OrtBody(model, intraOpThreads);
        }
        return body;
    }

    /** Whether the session has been created. */
    public synchronized boolean loaded() {
        return body != null;
    }

    @Override
    public synchronized void close() throws OrtException {
        closed = true;
        if (body != null) {
            body.close();
            body = null;
        }
    }
}
