package dev.lsr.eval.beir;

import dev.lsr.eval.metrics.Evaluation;
import dev.lsr.eval.metrics.ScoredDoc;
import dev.lsr.eval.metrics.TrecEval;
import dev.lsr.eval.report.Latencies;
import dev.lsr.seismic.SparseVector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every query of a split through each setting, single-threaded, and evaluates the runs.
 *
 * <p>Two passes per setting: the measured run at depth 1000 (what the metrics need), then a timed
 * pass at depth {@link #LATENCY_K}, the depth a user asks for, after a warm-up over the first
 * queries. Timing at depth 10 keeps the latency about search: at depth 1000 it would mostly be
 * the loading of 1000 stored documents per query. Query vectors are encoded beforehand, so
 * latency covers the backend's search call only.
 */
public final class BeirRunner {

    public static final int DEPTH = 1000;
    public static final int LATENCY_K = 10;

    private final BeirDataset dataset;
    private final SearchBackend backend;
    private final Map<String, Map<String, SparseVector>> queryVectorsByMode;
    private final int warmupQueries;

    /**
     * @param queryVectorsByMode query mode -> query id -> vector, for every query mode a spec uses
     */
    public BeirRunner(BeirDataset dataset, SearchBackend backend,
            Map<String, Map<String, SparseVector>> queryVectorsByMode, int warmupQueries) {
        this.dataset = dataset;
        this.backend = backend;
        this.queryVectorsByMode = queryVectorsByMode;
        this.warmupQueries = warmupQueries;
    }

    public List<RunResult> runAll(List<RunSpec> specs) {
        TrecEval trec = new TrecEval(dataset.qrels());
        Map<String, Map<String, List<ScoredDoc>>> exactByQueryMode = new HashMap<>();
        List<RunResult> results = new ArrayList<>();
        for (RunSpec spec : specs) {
            Latencies lat = new Latencies(dataset.queries().size());
            Map<String, List<ScoredDoc>> run = execute(spec, DEPTH, null);
            time(spec, lat);
            if (spec.mode().equals(RunSpec.EXACT)) {
                exactByQueryMode.putIfAbsent(spec.queryMode(), run);
            }
            results.add(new RunResult(spec, run, trec.evaluate(run), lat, null));
        }
        List<RunResult> out = new ArrayList<>(results.size());
        for (RunResult r : results) {
            Double vsExact = null;
            if (r.spec().mode().equals(RunSpec.APPROXIMATE)) {
                Map<String, List<ScoredDoc>> exact = exactByQueryMode.computeIfAbsent(r.spec().queryMode(),
                        qm -> execute(new RunSpec(RunSpec.EXACT, qm, Map.of()), DEPTH, null));
                vsExact = meanOverlap(r.run(), exact);
            } else if (r.spec().mode().equals(RunSpec.EXACT)) {
                vsExact = 1.0;
            }
            out.add(new RunResult(r.spec(), r.run(), r.evaluation(), r.latencies(), vsExact));
        }
        return out;
    }

    private Map<String, List<ScoredDoc>> execute(RunSpec spec, int depth, Latencies lat) {
        Map<String, SparseVector> vectors = spec.usesVectors() ? queryVectorsByMode.get(spec.queryMode()) : Map.of();
        if (vectors == null) {
            throw new IllegalStateException("no query vectors for query mode " + spec.queryMode());
        }
        if (lat == null) {
            // Untimed: the depth-1000 pass for the measures runs on all cores (searches are thread-safe).
            Map<String, List<ScoredDoc>> parallel = new java.util.concurrent.ConcurrentHashMap<>();
            dataset.queries().entrySet().parallelStream().forEach(q ->
                    parallel.put(q.getKey(), backend.search(spec, vectors.get(q.getKey()), q.getValue(), depth)));
            Map<String, List<ScoredDoc>> ordered = new LinkedHashMap<>();
            dataset.queries().keySet().forEach(q -> ordered.put(q, parallel.get(q)));
            return ordered;
        }
        Map<String, List<ScoredDoc>> run = new LinkedHashMap<>();
        for (Map.Entry<String, String> q : dataset.queries().entrySet()) {
            SparseVector v = vectors.get(q.getKey());
            long t0 = System.nanoTime();
            List<ScoredDoc> hits = backend.search(spec, v, q.getValue(), depth);
            if (lat != null) {
                lat.add(System.nanoTime() - t0);
            }
            run.put(q.getKey(), hits);
        }
        return run;
    }

    private void time(RunSpec spec, Latencies lat) {
        Map<String, SparseVector> vectors = spec.usesVectors() ? queryVectorsByMode.get(spec.queryMode()) : Map.of();
        List<String> ids = new ArrayList<>(dataset.queries().keySet());
        for (int i = 0; i < Math.min(warmupQueries, ids.size()); i++) {
            String q = ids.get(i);
            backend.search(spec, vectors.get(q), dataset.queries().get(q), LATENCY_K);
        }
        execute(spec, LATENCY_K, lat);
    }

    static double meanOverlap(Map<String, List<ScoredDoc>> approx, Map<String, List<ScoredDoc>> exact) {
        if (exact.isEmpty()) {
            return 1.0;
        }
        double s = 0;
        for (Map.Entry<String, List<ScoredDoc>> e : exact.entrySet()) {
            s += TrecEval.overlapAtK(approx.getOrDefault(e.getKey(), List.of()), e.getValue(), 10);
        }
        return s / exact.size();
    }

    public static Evaluation evaluate(BeirDataset dataset, Map<String, List<ScoredDoc>> run) {
        return new TrecEval(dataset.qrels()).evaluate(run);
    }
}
