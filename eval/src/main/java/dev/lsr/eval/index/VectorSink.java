package dev.lsr.eval.index;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.index.Collection;
import dev.lsr.index.Document;
import dev.lsr.index.IndexException;
import dev.lsr.index.InvalidDocumentException;
import dev.lsr.index.settings.CollectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/**
 * Pre-encoded documents (and generated ones) straight into the index collection: the fast path of
 * {@code lsr index}, one upsert per window and nothing else.
 */
public final class VectorSink implements IndexSink {

    private final Collection collection;
    private final ExecutorService searchPool;

    private VectorSink(Collection collection, ExecutorService searchPool) {
        this.collection = collection;
        this.searchPool = searchPool;
    }

    /**
     * Opens the collection in {@code dir}, or creates it with {@code settings} when it has no
     * collection.json; searches run on {@code searchThreads} threads besides the caller's.
     */
    public static VectorSink open(Path dir, CollectionSettings settings, int searchThreads) {
        ExecutorService pool = searchThreads == 0 ? null : Executors.newFixedThreadPool(searchThreads, r -> {
            Thread t = new Thread(r, "lsr-search");
            t.setDaemon(true);
            return t;
        });
        try {
            Collection c = Files.exists(dir.resolve("collection.json")) ? Collection.open(dir, pool) : Collection.create(dir, settings, pool);
            return new VectorSink(c, pool);
        } catch (IndexException e) {
            shutdown(pool);
            throw IndexSink.refused(e);
        } catch (RuntimeException | Error e) {
            shutdown(pool);
            throw e;
        }
    }

    private record Batch(List<Document> docs) implements Window {
        @Override
        public int size() {
            return docs.size();
        }

        @Override
        public int toEncode() {
            return 0;
        }
    }

    @Override
    public Collection collection() {
        return collection;
    }

    @Override
    public Window start(List<Document> docs) {
        return new Batch(List.copyOf(docs));
    }

    @Override
    public long finish(Window window, IntConsumer progress) {
        List<Document> docs = ((Batch) window).docs();
        try {
            collection.upsert(docs);
        } catch (InvalidDocumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        return docs.size();
    }

    @Override
    public void report(Map<String, Object> report) {
        // Nothing encoded, nothing to add.
    }

    @Override
    public void close() {
        try {
            collection.close();
        } finally {
            shutdown(searchPool);
        }
    }

    private static void shutdown(ExecutorService pool) {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
