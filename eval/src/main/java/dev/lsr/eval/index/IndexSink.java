package dev.lsr.eval.index;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionLockedException;
import dev.lsr.index.Document;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Where {@code lsr index} writes windows of documents: straight into the index when they come with
 * vectors ({@link VectorSink}), through the engine when the model encodes them ({@link EngineSink}).
 * The caller starts window i+1 before finishing window i, so a sink can prepare the next window
 * (tokenise its texts) while it writes the current one.
 */
public interface IndexSink extends AutoCloseable {

    /** The collection written: refreshes, commits, stats and the search benchmark go to it. */
    Collection collection();

    /** Starts a window; the sink may work on it in the background until {@link #finish}. */
    Window start(List<Document> docs);

    /**
     * Writes the window and returns how many documents were indexed; {@code progress} hears how
     * many documents each model run finished (vectors need none).
     *
     * @throws dev.lsr.eval.cli.ExitCodes.BadInputException naming the document when one is refused
     */
    long finish(Window window, IntConsumer progress);

    /** Adds what the sink measured (encoding, centring) to the {@code --json} report. */
    void report(Map<String, Object> report);

    @Override
    void close();

    /**
     * The index's refusal to open or create the collection as bad input; a collection that a
     * running service holds says where its documents go instead.
     */
    static BadInputException refused(RuntimeException e) {
        String hint = e instanceof CollectionLockedException
                ? " (a running 'lsr serve' holds its collections: add documents with POST /collections/{name}/documents there)" : "";
        return new BadInputException(e.getMessage() + hint, e);
    }

    /** A started window. */
    interface Window {
        /** Documents in the window. */
        int size();

        /** Of them, documents the model encodes. */
        int toEncode();
    }
}
