package dev.lsr.index;

import java.io.IOException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;

/** Runs read work against the latest refreshed view, always releasing the searcher it took. */
final class Searchers {

    /** Work on one point-in-time searcher. */
    @FunctionalInterface
    interface Work<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private final SearcherManager manager;
    private final Failures failures;

    Searchers(SearcherManager manager, Failures failures) {
        this.manager = manager;
        this.failures = failures;
    }

    <T> T with(String what, Work<T> work) {
        failures.ensureOpen();
        IndexSearcher searcher;
        try {
            searcher = manager.acquire();
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of("acquire searcher", e);
        }
        try {
            return work.apply(searcher);
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of(what, e);
        } finally {
            try {
                manager.release(searcher);
            } catch (IOException e) {
                throw failures.of("release searcher", e);
            }
        }
    }

    /** Makes all writes so far visible (blocks until done). */
    void refresh() {
        failures.ensureOpen();
        try {
            manager.maybeRefreshBlocking();
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of("refresh", e);
        }
    }
}
