package dev.lsr.index;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.lucene.search.SearcherManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes writes visible every {@code refreshIntervalMs} on a daemon thread of its own; a failed
 * background refresh is logged and retried at the next tick (an explicit refresh reports it).
 */
final class RefreshScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshScheduler.class);

    private final ScheduledExecutorService executor;

    private RefreshScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts refreshing every {@code intervalMs}; 0 starts nothing (refresh only on demand). */
    static RefreshScheduler start(String name, long intervalMs, SearcherManager searchers, BooleanSupplier closed) {
        if (intervalMs <= 0) {
            return new RefreshScheduler(null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lsr-refresh-" + name);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                if (!closed.getAsBoolean()) {
                    searchers.maybeRefresh();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("collection '{}': background refresh failed: {}", name, e.toString());
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return new RefreshScheduler(executor);
    }

    /** Stops the schedule and waits (up to 10 s) for a refresh in progress. */
    @Override
    public void close() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
