package dev.lsr.eval.bench;

import dev.lsr.eval.report.Latencies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** Single-thread latency after warm-up, and throughput with many threads, for one search method. */
public final class QueryTimer {

    /** Runs query {@code i} and keeps its result; one instance per thread. */
    @FunctionalInterface
    public interface Runner {
        void run(int i) throws Exception;
    }

    private QueryTimer() {}

    /**
     * Warm-up over the queries in turn (at least {@code timing.warmupQueries()} queries and at least
     * {@code timing.warmupMillis()}), then one timed pass over {@code count}.
     */
    public static Latencies latency(Runner r, int count, Timing timing) throws Exception {
        long until = System.nanoTime() + timing.warmupMillis() * 1_000_000L;
        for (int i = 0; i < timing.warmupQueries() || System.nanoTime() < until; i++) {
            r.run(i % count);
        }
        Latencies lat = new Latencies(count);
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            r.run(i);
            lat.add(System.nanoTime() - t);
        }
        return lat;
    }

    /**
     * Runs queries {@code 0, 1, ...} (modulo {@code count}) until at least {@code minQueries} have run
     * and {@link Timing#DEFAULT_WARMUP_MILLIS} have passed: the warm-up of timed passes that do not throw.
     */
    public static void warmUp(IntConsumer query, int count, int minQueries) {
        warmUp(query, count, minQueries, Timing.DEFAULT_WARMUP_MILLIS);
    }

    /** {@link #warmUp(IntConsumer, int, int)} for at least {@code minMillis} instead of the default. */
    public static void warmUp(IntConsumer query, int count, int minQueries, long minMillis) {
        long until = System.nanoTime() + minMillis * 1_000_000L;
        for (int i = 0; i < minQueries || System.nanoTime() < until; i++) {
            query.accept(i % count);
        }
    }

    /**
     * Queries per second with {@code threads} threads, each with its own runner, repeating the
     * query list until at least {@code timing.qpsMillis()} have passed (and at least one full pass).
     */
    public static double qps(Supplier<Runner> perThread, int count, int threads, Timing timing) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            long deadline = System.nanoTime() + timing.qpsMillis() * 1_000_000L;
            long t0 = System.nanoTime();
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    Runner r = perThread.get();
                    int done = 0;
                    int i;
                    while ((i = next.getAndIncrement()) < count || System.nanoTime() < deadline) {
                        r.run(i % count);
                        done++;
                    }
                    return done;
                }));
            }
            long total = 0;
            for (Future<Integer> f : fs) {
                total += f.get();
            }
            return total / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
