package dev.lsr.eval.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assembles the {@code bench seismic} report (DESIGN.md "Report shapes": methods, speedups, params,
 * counts, frontier, at_recall; extras beside them) and prints its human summary on stderr.
 */
public final class SeismicBenchReport {
    private final Map<String, MethodStats> methods = new LinkedHashMap<>();
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private List<SweepPoint> sweep = List.of();

    /** Adds a method; insertion order is report order. */
    public SeismicBenchReport method(String name, MethodStats m) {
        methods.put(name, m);
        return this;
    }

    public SeismicBenchReport sweep(List<SweepPoint> points) {
        this.sweep = List.copyOf(points);
        return this;
    }

    /** A top-level field after the contract's ones. */
    public SeismicBenchReport put(String key, Object value) {
        extras.put(key, value);
        return this;
    }

    /**
     * The report map. Needs methods {@code seismic} and {@code exact}; {@code speedup_vs_lucene}
     * is null without a {@code lucene} method.
     */
    public Map<String, Object> toMap(Map<String, Object> params, int docs, int queries) {
        MethodStats seismic = methods.get("seismic");
        double sp50 = seismic.p50Nanos();
        Map<String, Object> ms = new LinkedHashMap<>();
        methods.forEach((name, m) -> ms.put(name, m.toMap()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("methods", ms);
        r.put("speedup_vs_exact", MethodStats.round(methods.get("exact").p50Nanos() / sp50));
        MethodStats lucene = methods.get("lucene");
        r.put("speedup_vs_lucene", lucene == null ? null : MethodStats.round(lucene.p50Nanos() / sp50));
        MethodStats scan = methods.get("exact_forward_scan");
        if (scan != null) {
            r.put("speedup_vs_exact_forward_scan", MethodStats.round(scan.p50Nanos() / sp50));
        }
        r.put("params", params);
        r.put("docs", docs);
        r.put("queries", queries);
        r.put("frontier", ParetoFrontier.frontier(sweep).stream().map(SweepPoint::toPoint).toList());
        r.put("at_recall", ParetoFrontier.atRecall(sweep));
        if (!sweep.isEmpty()) {
            r.put("sweep", sweep.stream().map(SweepPoint::toRow).toList());
        }
        r.putAll(extras);
        r.put("machine", machine());
        return r;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("load_average", MethodStats.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        m.put("java", Runtime.version().toString());
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        return m;
    }

    /** The human summary: the method table, speedups, frontier and at_recall, saved-index check. */
    @SuppressWarnings("unchecked")
    public static void printSummary(Map<String, Object> report) {
        Map<String, Object> methods = (Map<String, Object>) report.get("methods");
        System.err.println();
        System.err.printf("%-19s %10s %10s %10s %10s %12s %9s %14s%n", "method", "recall@10", "p50_us", "p95_us", "p99_us",
                "qps", "build_s", "index_bytes");
        for (Map.Entry<String, Object> e : methods.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            Map<String, Double> l = (Map<String, Double>) m.get("latency_us");
            System.err.printf("%-19s %10.4f %10.1f %10.1f %10.1f %12.1f %9.2f %,14d%n", e.getKey(),
                    (Double) m.get("recall@10"), l.get("p50"), l.get("p95"), l.get("p99"), (Double) m.get("qps"),
                    (Double) m.get("build_s"), (Long) m.get("index_bytes"));
        }
        Map<String, Object> exact = (Map<String, Object>) methods.get("exact");
        System.err.printf(Locale.ROOT, "speedup at p50: %.1fx vs exact (%s), %s vs exact forward scan, %s vs lucene;"
                + " seismic index = %.3fx forward index%n",
                (Double) report.get("speedup_vs_exact"), exact.get("strategy"),
                ratio(report.get("speedup_vs_exact_forward_scan")), ratio(report.get("speedup_vs_lucene")),
                (Double) ((Map<String, Object>) methods.get("seismic")).get("index_to_forward_ratio"));
        List<Map<String, Object>> frontier = (List<Map<String, Object>>) report.get("frontier");
        if (!frontier.isEmpty()) {
            System.err.println("frontier (recall@10 / p50_us / query_cut:heap_factor): " + String.join(", ",
                    frontier.stream().map(SeismicBenchReport::brief).toList()));
        }
        Map<String, Object> at = (Map<String, Object>) report.get("at_recall");
        StringBuilder sb = new StringBuilder("fastest sweep point at recall@10 >=");
        at.forEach((level, p) -> sb.append(' ').append(level).append(": ")
                .append(p == null ? "none" : brief((Map<String, Object>) p)).append(';'));
        System.err.println(sb);
        if (report.get("open") instanceof Map<?, ?> open) {
            System.err.printf("saved index: %,d bytes; open %.3f s (with checksum), heap delta %,d bytes, %s/%d queries identical%n",
                    (Long) open.get("file_bytes"), (Double) open.get("open_s"), (Long) open.get("heap_delta_bytes"),
                    open.get("queries_identical"), (Integer) report.get("queries"));
        }
    }

    private static String ratio(Object x) {
        return x == null ? "n/a" : String.format(Locale.ROOT, "%.1fx", (Double) x);
    }

    @SuppressWarnings("unchecked")
    private static String brief(Map<String, Object> p) {
        Map<String, Object> params = (Map<String, Object>) p.get("params");
        return String.format(Locale.ROOT, "%.4f / %.1f / %s:%s", (Double) p.get("recall@10"),
                ((Map<String, Double>) p.get("latency_us")).get("p50"), params.get("query_cut"), params.get("heap_factor"));
    }
}
