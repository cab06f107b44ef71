package dev.lsr.eval.index;

import dev.lsr.eval.report.JsonReport;
import dev.lsr.index.Collection;
import dev.lsr.index.Filter;
import dev.lsr.seismic.SparseVector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lsr index --queries}: search latency and recall against exact on the collection as
 * indexed (many segments), then force-merged to one segment, and with {@code --filters} filtered
 * search on the merged collection at each of {@link #SELECTIVITIES} (documents carry the
 * {@code bucket} metadata {@link WindowedIngest} gave them).
 */
public record SearchAfterIndexing(List<SparseVector> queries, int k, long warmupMs, boolean filters) {

    /** Filter selectivities of --filters, as fractions of the documents passing. */
    static final double[] SELECTIVITIES = {0.001, 0.01, 0.05, 0.2, 0.5, 1.0};

    public SearchAfterIndexing {
        queries = List.copyOf(queries);
    }

    /** The report's {@code search} object; merges the collection to one segment on the way. */
    public Map<String, Object> run(Collection c) throws Exception {
        Map<String, Object> bench = new LinkedHashMap<>();
        bench.put("queries", queries.size());
        bench.put("k", k);
        bench.put("warmup_ms", warmupMs);
        bench.put("many_segments", SegmentBench.measure(c, queries, k, warmupMs));
        HeapPeak peak = HeapPeak.start();
        long tm = System.nanoTime();
        c.forceMerge(1);
        c.commit();
        bench.put("force_merge_s", Math.round((System.nanoTime() - tm) / 1e6) / 1000.0);
        bench.put("force_merge_peak_heap_bytes", peak.bytes());
        bench.put("merged", SegmentBench.measure(c, queries, k, warmupMs));
        if (filters) {
            Map<String, Object> filtered = new LinkedHashMap<>();
            for (double s : SELECTIVITIES) {
                Filter f = Filter.parse("{\"range\": {\"bucket\": {\"lt\": " + Math.round(s * 1000) + "}}}");
                Map<String, Object> m = SegmentBench.measure(c, queries, k, f, warmupMs);
                filtered.put(Double.toString(s), m);
                System.err.println("lsr index: filter passing " + s + ": " + JsonReport.toJson(m));
            }
            bench.put("filtered", filtered);
        }
        System.err.println("lsr index: search " + JsonReport.toJson(bench));
        return bench;
    }
}
