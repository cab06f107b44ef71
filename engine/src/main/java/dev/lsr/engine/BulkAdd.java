package dev.lsr.engine;

import dev.lsr.encoder.DocumentPipeline;
import dev.lsr.index.Document;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Bulk loading through a collection ({@link EngineCollection#bulkAdd()}): {@link #start} checks a
 * window of documents and hands its texts to a helper thread to tokenise, {@link #finish} runs the
 * model on them and writes the window, so the caller can start window i+1 before finishing window
 * i and the tokens of the next window are ready the moment the model is done with the one before.
 * Each window is written exactly as {@link EngineCollection#add} would write it (same vectors,
 * same centring fit, same per-document results). Not thread-safe: one caller starts and finishes
 * windows, in order.
 *
 * <pre>{@code
 * try (BulkAdd bulk = collection.bulkAdd()) {
 *     BulkAdd.Window pending = null;
 *     for (List<Document> window : windows) {
 *         BulkAdd.Window next = bulk.start(window);
 *         if (pending != null) bulk.finish(pending, done -> { });
 *         pending = next;
 *     }
 *     if (pending != null) bulk.finish(pending, done -> { });
 * }
 * }</pre>
 */
public final class BulkAdd implements AutoCloseable {

    private final EngineCollection collection;
    /** Null for a collection without a model: there is nothing to tokenise. */
    private final DocumentPipeline pipeline;

    BulkAdd(EngineCollection collection) {
        this.collection = collection;
        this.pipeline = collection.encoder() == null ? null : new DocumentPipeline(collection.encoder());
    }

    /** A window of documents on its way in: its texts are tokenised from {@link #start} on. */
    public static final class Window {
        private final DocumentWriter.Prepared prepared;

        private Window(DocumentWriter.Prepared prepared) {
            this.prepared = prepared;
        }

        /** Documents in the window. */
        public int size() {
            return prepared.docs().size();
        }

        /** Documents the model will encode (those without a vector, with a title or text). */
        public int toEncode() {
            return prepared.toEncode().size();
        }
    }

    /** Checks the window and starts tokenising its texts on the helper thread. */
    public Window start(List<Document> docs) {
        return new Window(collection.prepare(docs, pipeline));
    }

    /**
     * Runs the model on the window's texts (on the calling thread) and writes it;
     * {@code progress} hears how many documents each model run finished.
     */
    public AddResult finish(Window window, IntConsumer progress) {
        return collection.add(window.prepared, progress);
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }
}
