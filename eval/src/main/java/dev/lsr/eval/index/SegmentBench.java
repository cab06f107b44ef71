package dev.lsr.eval.index;

import dev.lsr.eval.bench.QueryTimer;
import dev.lsr.eval.report.Latencies;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionStats;
import dev.lsr.index.Filter;
import dev.lsr.index.Hit;
import dev.lsr.index.SearchRequest;
import dev.lsr.seismic.SparseVector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Search latency and recall of one collection state (e.g. many segments, then force-merged):
 * exact top-k is the ground truth (its own pass); approximate latency is single-thread, the full
 * search call with the hits' stored fields, after a warm-up (every query once, and at least
 * {@code warmupMillis}: 2 s by default, see {@code lsr index --warmup-ms}); then the same
 * searches once more with ids only ({@code latency_us_ids_only}), which parts the search from
 * loading the hits' stored documents.
 */
public final class SegmentBench {

    private SegmentBench() {}

    public static Map<String, Object> measure(Collection c, List<SparseVector> queries, int k, long warmupMillis) {
        return measure(c, queries, k, null, warmupMillis);
    }

    /**
     * As {@link #measure(Collection, List, int, long)} under a filter (null: none); also reports
     * {@code short_results}: queries that got fewer hits than exact search found.
     */
    public static Map<String, Object> measure(Collection c, List<SparseVector> queries, int k, Filter filter,
            long warmupMillis) {
        CollectionStats stats = c.stats();
        // Ground truth first, in its own pass: an exact scan streams every stored vector through the
        // caches, so timing each approximate query right after one measured it cold.
        Latencies exactLatency = new Latencies(queries.size());
        List<Set<String>> truth = new ArrayList<>(queries.size());
        for (SparseVector q : queries) {
            long t0 = System.nanoTime();
            List<Hit> exact = c.search(SearchRequest.exact(q, k).withFilter(filter).withStoredFields(false)).hits();
            exactLatency.add(System.nanoTime() - t0);
            Set<String> ids = new HashSet<>();
            exact.forEach(h -> ids.add(h.id()));
            truth.add(ids);
        }
        // Warm-up: every query once, and long enough that the JIT and the segments' structures are warm.
        QueryTimer.warmUp(i -> c.search(SearchRequest.sparse(queries.get(i), k).withFilter(filter)), queries.size(), queries.size(),
                warmupMillis);
        Latencies approxLatency = new Latencies(queries.size());
        double recallSum = 0;
        int counted = 0;
        int shortResults = 0;
        for (int i = 0; i < queries.size(); i++) {
            long t0 = System.nanoTime();
            List<Hit> approx = c.search(SearchRequest.sparse(queries.get(i), k).withFilter(filter)).hits();
            approxLatency.add(System.nanoTime() - t0);
            Set<String> ids = truth.get(i);
            if (approx.size() < ids.size()) {
                shortResults++;
            }
            if (!ids.isEmpty()) {
                long found = approx.stream().filter(h -> ids.contains(h.id())).count();
                recallSum += (double) found / ids.size();
                counted++;
            }
        }
        // The same searches without stored fields (hits carry id and score, the id from doc values):
        // what the search itself costs, apart from loading each hit's stored document.
        Latencies idsOnlyLatency = new Latencies(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            long t0 = System.nanoTime();
            c.search(SearchRequest.sparse(queries.get(i), k).withFilter(filter).withStoredFields(false));
            idsOnlyLatency.add(System.nanoTime() - t0);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("segments", stats.segments());
        m.put("seismic_segments", stats.seismicSegments());
        m.put("bytes", stats.bytes());
        m.put("recall@" + k, counted == 0 ? Double.NaN : Math.round(recallSum / counted * 10000) / 10000.0);
        m.put("latency_us", approxLatency.micros());
        m.put("latency_us_ids_only", idsOnlyLatency.micros());
        m.put("exact_latency_us", exactLatency.micros());
        m.put("short_results", shortResults);
        m.put("qps", Math.round(queries.size() / (approxLatency.meanNanos() * queries.size() / 1e9) * 10) / 10.0);
        return m;
    }
}
