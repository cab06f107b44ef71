package dev.lsr.eval.service;

import dev.lsr.eval.beir.BeirDataset;
import dev.lsr.eval.metrics.Evaluation;
import dev.lsr.eval.metrics.QueryScores;
import dev.lsr.eval.metrics.TrecEval;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code lsr bench service} report: per request setting the trec_eval measures of the hits the
 * service returned and the latency percentiles, beside what the upload did and what the service said
 * about the collection (model, centring).
 */
public final class ServiceBenchReport {

    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<Map<String, Object>> runs = new ArrayList<>();
    private final TrecEval trecEval;
    private final List<String> table = new ArrayList<>();

    public ServiceBenchReport(BeirDataset ds, String url, boolean started, String collection, int k, int warmup) {
        this.trecEval = new TrecEval(ds.qrels());
        report.put("dataset", ds.name());
        report.put("split", ds.split());
        report.put("docs", ds.corpus().size());
        report.put("queries", ds.queries().size());
        report.put("url", url);
        report.put("service", started ? "started by the benchmark" : "given with --url");
        report.put("collection", collection);
        report.put("k", k);
        report.put("warmup", warmup);
        report.put("latency", "one client, one request at a time; latency_us: client side, request sent to response body read "
                + "(HTTP/1.1 keep-alive, loopback); server_took_us: the response's took_ms");
        table.add(String.format("%-28s %-8s %8s %8s %9s %9s %9s %10s", "setting", "ran", "nDCG@10", "MRR@10", "p50 ms", "p95 ms", "p99 ms",
                "took p50"));
    }

    public void upload(CorpusUpload.Result r, int batch) {
        Map<String, Object> ingest = new LinkedHashMap<>();
        ingest.put("reused", r.reused());
        ingest.put("batch", batch);
        ingest.put("jobs", r.jobs());
        ingest.put("seconds", round(r.seconds(), 3));
        ingest.put("docs_per_s", Double.isNaN(r.docsPerSecond()) ? null : round(r.docsPerSecond(), 3));
        report.put("ingest", ingest);
        if (r.collection() != null && r.collection().has("settings")) {
            report.put("model", r.collection().get("settings").get("model"));
        }
        report.put("stats", r.stats());
        if (r.stats().has("centring")) {
            report.put("centring", r.stats().get("centring"));
        }
    }

    /** Adds a setting's run; returns its evaluation. */
    public Evaluation add(QueryDriver.Measured m, Map<String, Object> requestTemplate) {
        Evaluation e = trecEval.evaluate(m.run());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("mode", m.setting().name());
        run.put("params", m.setting().fields());
        run.put("request", requestTemplate);
        run.put("mode_ran", m.modesRan());
        run.put("ndcg@10", round(e.ndcg10(), 6));
        run.put("mrr@10", round(e.mrr10(), 6));
        run.put("queries", e.queries());
        run.put("latency_us", m.client().micros());
        run.put("server_took_us", m.server().count() == 0 ? null : m.server().micros());
        Map<String, Double> perQuery = new LinkedHashMap<>();
        for (QueryScores q : e.perQuery()) {
            perQuery.put(q.queryId(), round(q.ndcg10(), 6));
        }
        run.put("per_query_ndcg@10", perQuery);
        runs.add(run);
        table.add(String.format("%-28s %-8s %8.4f %8.4f %9.2f %9.2f %9.2f %10.2f", m.setting().name(), String.join("+", m.modesRan().keySet()),
                e.ndcg10(), e.mrr10(), m.client().percentileNanos(50) / 1e6, m.client().percentileNanos(95) / 1e6,
                m.client().percentileNanos(99) / 1e6, m.server().count() == 0 ? Double.NaN : m.server().percentileNanos(50) / 1e6));
        return e;
    }

    public Map<String, Object> finish(double seconds, String machine) {
        report.put("runs", runs);
        report.put("seconds", round(seconds, 1));
        report.put("machine", machine);
        return report;
    }

    public void printTable(PrintStream err) {
        table.forEach(err::println);
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }
}
