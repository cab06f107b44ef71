package dev.lsr.eval.beir;

import dev.lsr.eval.report.Latencies;
import dev.lsr.seismic.SparseVector;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every judged query's vector in each query mode of a {@code lsr beir} run, with the time each
 * timed mode took to encode a query (one query per call, as a service encodes them).
 *
 * @param byMode query mode -> query id -> vector, modes and queries in the order given
 * @param encodeMicros query mode -> encode latency percentiles in microseconds, for timed modes only
 */
public record QueryVectors(Map<String, Map<String, SparseVector>> byMode, Map<String, Map<String, Double>> encodeMicros) {

    /** How a query mode turns one judged query into its vector. */
    @FunctionalInterface
    public interface Encoder {
        SparseVector encode(String queryId, String text);
    }

    /**
     * @param encoder the mode's encoder
     * @param timed whether its calls are encoding worth timing (not for vectors read from a file or
     *     derived from cached logits)
     */
    public record Source(Encoder encoder, boolean timed) {}

    public QueryVectors {
        byMode = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byMode));
        encodeMicros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(encodeMicros));
    }

    /** Runs each mode's encoder over the dataset's judged queries, in query order. */
    public static QueryVectors encode(BeirDataset ds, Map<String, Source> sources) {
        Map<String, Map<String, SparseVector>> byMode = new LinkedHashMap<>();
        Map<String, Map<String, Double>> micros = new LinkedHashMap<>();
        for (Map.Entry<String, Source> mode : sources.entrySet()) {
            Source source = mode.getValue();
            Map<String, SparseVector> vectors = new LinkedHashMap<>();
            Latencies latencies = new Latencies(ds.queries().size());
            for (Map.Entry<String, String> q : ds.queries().entrySet()) {
                long start = System.nanoTime();
                vectors.put(q.getKey(), source.encoder().encode(q.getKey(), q.getValue()));
                latencies.add(System.nanoTime() - start);
            }
            if (source.timed() && latencies.count() > 0) {
                micros.put(mode.getKey(), latencies.micros());
            }
            byMode.put(mode.getKey(), vectors);
        }
        return new QueryVectors(byMode, micros);
    }
}
