package dev.lsr.eval.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured {@code query_cut} x {@code heap_factor} setting of the sweep. {@code recall} is
 * already rounded as reported, so that frontier and at_recall decisions can be checked from the
 * report alone.
 */
public record SweepPoint(int queryCut, float heapFactor, double recall, Map<String, Double> latencyUs,
        double docsPerQuery) {

    public double p50Us() {
        return latencyUs.get("p50");
    }

    /** The sweep row (all percentiles). */
    public Map<String, Object> toRow() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("query_cut", queryCut);
        row.put("heap_factor", heapFactor);
        row.put("recall@10", recall);
        row.put("latency_us", latencyUs);
        row.put("docs_scored_per_query", MethodStats.round(docsPerQuery));
        return row;
    }

    /** DESIGN.md's {@code P = {"recall@10", "latency_us": {"p50"}, "params"}}. */
    public Map<String, Object> toPoint() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("recall@10", recall);
        p.put("latency_us", Map.of("p50", p50Us()));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("query_cut", queryCut);
        params.put("heap_factor", heapFactor);
        p.put("params", params);
        p.put("docs_scored_per_query", MethodStats.round(docsPerQuery));
        return p;
    }
}
