package dev.lsr.engine;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits every open collection that changed, every {@code intervalMs}, on a daemon thread of its
 * own: writes acknowledged without an explicit commit become durable within the interval, instead
 * of only at a clean shutdown (a crash, an OOM kill or a lost host used to lose everything since
 * the last explicit commit). A failed commit is logged and tried again at the next tick; a
 * collection closed or deleted meanwhile is skipped.
 */
final class PeriodicCommits implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicCommits.class);

    private final ScheduledExecutorService executor;

    private PeriodicCommits(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts committing every {@code intervalMs}; 0 starts nothing (commits only when asked and at close). */
    static PeriodicCommits start(long intervalMs, Supplier<List<EngineCollection>> openCollections) {
        if (intervalMs <= 0) {
            return new PeriodicCommits(null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lsr-commit");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> commitChanged(openCollections.get()), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return new PeriodicCommits(executor);
    }

    private static void commitChanged(List<EngineCollection> collections) {
        for (EngineCollection c : collections) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                c.commitIfChanged();
            } catch (RuntimeException e) {
                if (!c.isClosed()) {
                    LOG.warn("collection '{}': periodic commit failed (tried again in the next interval): {}", c.name(), e.toString());
                }
            }
        }
    }

    /** Stops the schedule and waits (up to 30 s) for a commit in progress, so that close() finds the writers idle. */
    @Override
    public void close() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
