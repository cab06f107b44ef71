package dev.lsr.eval.bench;

import dev.lsr.eval.report.Latencies;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One method's measurements in a {@code bench seismic} run: DESIGN.md's
 * {@code M = {"recall@10", "latency_us", "qps", "build_s", "index_bytes"}}, plus method-specific
 * extras in insertion order.
 */
public record MethodStats(double recall, Latencies latency, double qps, double buildSeconds, long bytes,
        Map<String, Object> extras) {

    public MethodStats {
        extras = new LinkedHashMap<>(extras);
    }

    public MethodStats(double recall, Latencies latency, double qps, double buildSeconds, long bytes) {
        this(recall, latency, qps, buildSeconds, bytes, Map.of());
    }

    public MethodStats with(String key, Object value) {
        Map<String, Object> e = new LinkedHashMap<>(extras);
        e.put(key, value);
        return new MethodStats(recall, latency, qps, buildSeconds, bytes, e);
    }

    public double p50Nanos() {
        return latency.percentileNanos(50);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recall@10", round(recall));
        m.put("latency_us", latency.micros());
        m.put("qps", round(qps));
        m.put("build_s", round(buildSeconds));
        m.put("index_bytes", bytes);
        m.putAll(extras);
        return m;
    }

    /** Four decimals: the precision every report number is written with. */
    public static double round(double x) {
        return Math.round(x * 10000.0) / 10000.0;
    }
}
