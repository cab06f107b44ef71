package dev.lsr.eval.index;

import dev.lsr.eval.report.Latencies;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionStats;
import dev.lsr.index.Hit;
import dev.lsr.index.SearchRequest;
import dev.lsr.seismic.SparseVector;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Search latency and recall of one collection state (e.g. many segments, then force-merged):
 * exact top-k is the ground truth; approximate latency is single-thread after a warm-up pass.
 */
public final class SegmentBench {

    private SegmentBench() {}

    public static Map<String, Object> measure(Collection c, List<SparseVector> queries, int k) {
        CollectionStats stats = c.stats();
        // Warm-up: touch every segment's structures and the JIT once.
        for (SparseVector q : queries.subList(0, Math.min(queries.size(), 50))) {
            c.search(SearchRequest.sparse(q, k));
            c.search(SearchRequest.exact(q, k));
        }
        Latencies exactLatency = new Latencies(queries.size());
        Latencies approxLatency = new Latencies(queries.size());
        double recallSum = 0;
        int counted = 0;
        for (SparseVector q : queries) {
            long t0 = System.nanoTime();
            List<Hit> exact = c.search(SearchRequest.exact(q, k)).hits();
            long t1 = System.nanoTime();
            List<Hit> approx = c.search(SearchRequest.sparse(q, k)).hits();
            long t2 = System.nanoTime();
            exactLatency.add(t1 - t0);
            approxLatency.add(t2 - t1);
            if (!exact.isEmpty()) {
                Set<String> truth = new HashSet<>();
                exact.forEach(h -> truth.add(h.id()));
                long found = approx.stream().filter(h -> truth.contains(h.id())).count();
                recallSum += (double) found / truth.size();
                counted++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("segments", stats.segments());
        m.put("seismic_segments", stats.seismicSegments());
        m.put("bytes", stats.bytes());
        m.put("recall@" + k, counted == 0 ? Double.NaN : Math.round(recallSum / counted * 10000) / 10000.0);
        m.put("latency_us", approxLatency.micros());
        m.put("exact_latency_us", exactLatency.micros());
        m.put("qps", Math.round(queries.size() / (approxLatency.meanNanos() * queries.size() / 1e9) * 10) / 10.0);
        return m;
    }
}
