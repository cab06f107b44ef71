package dev.lsr.eval.report;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency samples in nanoseconds, summarised as percentiles in microseconds or milliseconds.
 * Percentiles use the nearest-rank method so that p99 of 100 samples is the 99th smallest.
 */
public final class Latencies {

    private long[] samples;
    private int n;

    public Latencies(int expected) {
        samples = new long[Math.max(16, expected)];
    }

    public void add(long nanos) {
        if (n == samples.length) {
            samples = Arrays.copyOf(samples, n * 2);
        }
        samples[n++] = nanos;
    }

    public int count() {
        return n;
    }

    /** Nearest-rank percentile in nanoseconds; {@code p} in (0, 100]. */
    public double percentileNanos(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.clamp(rank - 1, 0, n - 1)];
    }

    public double meanNanos() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += samples[i];
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** {@code {"p50": x, "p95": x, "p99": x}} in microseconds, the shape DESIGN.md's reports use. */
    public Map<String, Double> micros() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", round(percentileNanos(50) / 1e3));
        m.put("p95", round(percentileNanos(95) / 1e3));
        m.put("p99", round(percentileNanos(99) / 1e3));
        return m;
    }

    /** The same percentiles in milliseconds. */
    public Map<String, Double> millis() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", round(percentileNanos(50) / 1e6));
        m.put("p95", round(percentileNanos(95) / 1e6));
        m.put("p99", round(percentileNanos(99) / 1e6));
        return m;
    }

    static double round(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }
}
