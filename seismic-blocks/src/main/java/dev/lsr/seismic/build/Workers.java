package dev.lsr.seismic.build;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The build's thread pool: runs a worker on N threads and rethrows what a worker threw. */
final class Workers {
    private Workers() {}

    @FunctionalInterface
    interface RangeTask {
        void run(int from, int to);
    }

    /** Splits {@code [0, n)} into chunks handed out to {@code threads} workers. */
    static void parallel(int threads, int n, int chunk, RangeTask task) {
        AtomicInteger next = new AtomicInteger();
        run(threads, () -> {
            int from;
            while ((from = next.getAndAdd(chunk)) < n) {
                task.run(from, Math.min(n, from + chunk));
            }
        });
    }

    /** Runs {@code worker} on {@code threads} threads (inline for one) and waits for all. */
    static void run(int threads, Runnable worker) {
        if (threads <= 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "seismic-build");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(pool.submit(worker));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("build interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
