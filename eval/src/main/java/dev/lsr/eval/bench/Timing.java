package dev.lsr.eval.bench;

/**
 * How long {@code bench seismic} warms each method up before timing it, and how long it measures
 * throughput. The defaults are what every recorded number used; a smoke run (or a test) shortens
 * them and gets less stable latencies in exchange.
 *
 * @param warmupQueries at least this many warm-up queries per method
 * @param warmupMillis and at least this long: a few hundred sub-millisecond queries end before the
 *     JIT has compiled the search loops at full optimisation (the first method measured looked up to
 *     1.5x slower than the same parameters measured later in the sweep)
 * @param qpsMillis each method's QPS pass repeats the queries at least this long (and at least once)
 */
public record Timing(int warmupQueries, long warmupMillis, long qpsMillis) {
    public static final long DEFAULT_WARMUP_MILLIS = 2000;
    public static final long DEFAULT_QPS_MILLIS = 2000;

    public Timing {
        if (warmupQueries < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmupQueries);
        }
        if (warmupMillis < 0) {
            throw new IllegalArgumentException("--warmup-ms must be >= 0, got " + warmupMillis);
        }
        if (qpsMillis < 0) {
            throw new IllegalArgumentException("--qps-ms must be >= 0, got " + qpsMillis);
        }
    }

    /** The same times with another number of warm-up queries. */
    public Timing withWarmupQueries(int n) {
        return new Timing(n, warmupMillis, qpsMillis);
    }

    /** The same, with the warm-up time capped at {@code millis}. */
    public Timing withWarmupAtMost(long millis) {
        return new Timing(warmupQueries, Math.min(warmupMillis, millis), qpsMillis);
    }
}
