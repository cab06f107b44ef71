package dev.lsr.eval.beir;

import dev.lsr.eval.report.ComparisonTable;
import dev.lsr.eval.report.HtmlReport;
import dev.lsr.eval.report.JsonReport;
import dev.lsr.eval.report.TrecRunWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code lsr beir} leaves behind once its runs are done: the comparison table on stderr, and
 * where asked the JSON report, the TREC run files (one per run, tagged when there are several)
 * and the HTML report page.
 *
 * @param json the JSON report, or null
 * @param runFile the TREC run file, or null; with several runs each goes to a tagged sibling
 * @param reportDir the HTML report's directory, or null
 */
public record BeirOutputs(Path json, Path runFile, Path reportDir) {

    /** Prints the comparison table, then writes every requested output, naming each on {@code err}. */
    public void write(Map<String, Object> report, List<RunResult> results, BeirDataset ds, PrintStream err) {
        err.println();
        ComparisonTable.print(err, results.stream().map(r -> new ComparisonTable.Row(r.spec().label(),
                r.evaluation().ndcg10(), r.evaluation().recall100(), r.evaluation().recall1000(),
                r.evaluation().mrr10(), r.evaluation().map1000(), r.recallVsExact10(),
                r.latencies().percentileNanos(50) / 1e3, r.latencies().percentileNanos(99) / 1e3)).toList());
        if (json != null) {
            JsonReport.write(json, report);
            err.println("lsr beir: report " + json);
        }
        if (runFile != null) {
            for (RunResult r : results) {
                Path f = results.size() == 1 ? runFile : taggedSibling(runFile, r.spec().fileTag());
                TrecRunWriter.write(f, r.run(), r.spec().fileTag());
                err.println("lsr beir: run file " + f);
            }
        }
        if (reportDir != null) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("dataset", ds.name() + " / " + ds.split());
            facts.put("documents", ds.corpus().size());
            facts.put("queries", ds.queries().size());
            if (report.get("model") instanceof Map<?, ?> m) {
                facts.put("model", m.get("name"));
            }
            if (report.containsKey("encode_docs_per_s")) {
                facts.put("encode docs/s", report.get("encode_docs_per_s"));
            }
            facts.put("latency", "single-thread search call per query at k=10 after warm-up; query encoding excluded;"
                    + " metrics from a separate k=1000 pass");
            HtmlReport.write(reportDir, "BEIR " + ds.name() + " / " + ds.split(), results, facts);
            err.println("lsr beir: report page " + reportDir.resolve("index.html"));
        }
    }

    /** {@code run.trec} with tag {@code t} becomes {@code run.t.trec} beside it. */
    static Path taggedSibling(Path file, String tag) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return file.resolveSibling(stem + "." + tag + ext);
    }

    /** One run as the JSON report's {@code runs} lists it (DESIGN.md's field names). */
    public static Map<String, Object> runReport(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", r.spec().mode());
        m.put("params", r.spec().reportParams());
        m.put("ndcg@10", round6(r.evaluation().ndcg10()));
        m.put("recall@100", round6(r.evaluation().recall100()));
        m.put("recall@1000", round6(r.evaluation().recall1000()));
        m.put("mrr@10", round6(r.evaluation().mrr10()));
        m.put("map@1000", round6(r.evaluation().map1000()));
        m.put("recall_vs_exact@10", r.recallVsExact10() == null ? null : round6(r.recallVsExact10()));
        m.put("latency_us", r.latencies().micros());
        m.put("latency_k", BeirRunner.LATENCY_K);
        m.put("queries", r.evaluation().queries());
        Map<String, Double> perQuery = new LinkedHashMap<>();
        r.evaluation().perQuery().forEach(q -> perQuery.put(q.queryId(), round6(q.ndcg10())));
        m.put("per_query_ndcg@10", perQuery);
        return m;
    }

    private static double round6(double x) {
        return Math.round(x * 1e6) / 1e6;
    }
}
