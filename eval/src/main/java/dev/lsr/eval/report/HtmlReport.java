package dev.lsr.eval.report;

import dev.lsr.eval.beir.RunResult;
import dev.lsr.eval.beir.RunSpec;
import dev.lsr.eval.metrics.QueryScores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code --report DIR}: PNG charts drawn with XChart and an index.html that shows them next to
 * the comparison table. Charts: recall vs latency over the approximate settings (a heap_factor
 * sweep draws the trade-off curve), the per-query nDCG@10 distribution of each run, and per-query
 * nDCG@10 of approximate against exact search.
 */
public final class HtmlReport {

    private HtmlReport() {}

    public static List<Path> write(Path dir, String title, List<RunResult> results, Map<String, Object> facts) {
        System.setProperty("java.awt.headless", "true");
        try {
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            Map<String, String> charts = new LinkedHashMap<>();
            XYChart tradeoff = recallVsLatency(results);
            if (tradeoff != null) {
                charts.put("recall_vs_latency.png", "Approximate search: overlap with exact top 10 against median latency, one point per setting");
                save(tradeoff, dir.resolve("recall_vs_latency.png"), files);
            }
            charts.put("ndcg_distribution.png", "Per-query nDCG@10: how many queries fall in each bucket, per setting");
            save(ndcgDistribution(results), dir.resolve("ndcg_distribution.png"), files);
            XYChart vs = approxVsExact(results);
            if (vs != null) {
                charts.put("approx_vs_exact.png", "Per-query nDCG@10, approximate (y) against exact (x); points on the diagonal lost nothing");
                save(vs, dir.resolve("approx_vs_exact.png"), files);
            }
            Path html = dir.resolve("index.html");
            Files.writeString(html, html(title, results, facts, charts), StandardCharsets.UTF_8);
            files.add(html);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void save(Chart<?, ?> chart, Path file, List<Path> files) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        files.add(file);
    }

    static XYChart recallVsLatency(List<RunResult> results) {
        Map<String, List<RunResult>> byQueryMode = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (r.spec().mode().equals(RunSpec.APPROXIMATE) && r.recallVsExact10() != null) {
                byQueryMode.computeIfAbsent(r.spec().queryMode(), k -> new ArrayList<>()).add(r);
            }
        }
        if (byQueryMode.isEmpty()) {
            return null;
        }
        XYChart c = new XYChartBuilder().width(800).height(500).title("Recall vs latency (approximate)")
                .xAxisTitle("median search latency (us)").yAxisTitle("recall vs exact @10").build();
        // Recall is a fraction: the full double (0.942512077294686) on the axis helps nobody.
        c.getStyler().setYAxisDecimalPattern("0.000").setXAxisDecimalPattern("#,##0");
        for (Map.Entry<String, List<RunResult>> e : byQueryMode.entrySet()) {
            List<RunResult> rs = new ArrayList<>(e.getValue());
            rs.sort(java.util.Comparator.comparingDouble(r -> r.latencies().percentileNanos(50)));
            double[] x = new double[rs.size()];
            double[] y = new double[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                x[i] = rs.get(i).latencies().percentileNanos(50) / 1e3;
                y[i] = rs.get(i).recallVsExact10();
            }
            XYSeries s = c.addSeries("query mode " + e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    static CategoryChart ndcgDistribution(List<RunResult> results) {
        CategoryChart c = new CategoryChartBuilder().width(900).height(500).title("Per-query nDCG@10")
                .xAxisTitle("nDCG@10 bucket").yAxisTitle("queries").build();
        c.getStyler().setOverlapped(false);
        List<String> buckets = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            buckets.add(String.format("%.1f-%.1f", b / 10.0, (b + 1) / 10.0));
        }
        for (RunResult r : results) {
            List<Integer> counts = new ArrayList<>();
            int[] n = new int[10];
            for (QueryScores q : r.evaluation().perQuery()) {
                n[Math.min(9, (int) (q.ndcg10() * 10))]++;
            }
            for (int v : n) {
                counts.add(v);
            }
            c.addSeries(r.spec().label(), buckets, counts);
        }
        return c;
    }

    static XYChart approxVsExact(List<RunResult> results) {
        Map<String, RunResult> exactByQm = new HashMap<>();
        for (RunResult r : results) {
            if (r.spec().mode().equals(RunSpec.EXACT)) {
                exactByQm.putIfAbsent(r.spec().queryMode(), r);
            }
        }
        XYChart c = new XYChartBuilder().width(700).height(700).title("Approximate vs exact, per-query nDCG@10")
                .xAxisTitle("exact").yAxisTitle("approximate").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        boolean any = false;
        for (RunResult r : results) {
            RunResult exact = exactByQm.get(r.spec().queryMode());
            if (!r.spec().mode().equals(RunSpec.APPROXIMATE) || exact == null) {
                continue;
            }
            Map<String, Double> e = new HashMap<>();
            exact.evaluation().perQuery().forEach(q -> e.put(q.queryId(), q.ndcg10()));
            List<QueryScores> qs = r.evaluation().perQuery();
            double[] x = new double[qs.size()];
            double[] y = new double[qs.size()];
            for (int i = 0; i < qs.size(); i++) {
                x[i] = e.getOrDefault(qs.get(i).queryId(), 0.0);
                y[i] = qs.get(i).ndcg10();
            }
            c.addSeries(r.spec().label(), x, y).setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        return any ? c : null;
    }

    private static String html(String title, List<RunResult> results, Map<String, Object> facts, Map<String, String> charts) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1000px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}img{max-width:100%;border:1px solid #eee}</style>"
                        + "</head><body>\n<h1>").append(esc(title)).append("</h1>\n<ul>\n");
        facts.forEach((k, v) -> h.append("<li><b>").append(esc(k)).append("</b>: ").append(esc(String.valueOf(v))).append("</li>\n"));
        h.append("</ul>\n<table><tr><th>setting</th><th>nDCG@10</th><th>Recall@100</th><th>Recall@1000</th>"
                + "<th>MRR@10</th><th>MAP@1000</th><th>recall vs exact@10</th><th>p50 us</th><th>p99 us</th></tr>\n");
        for (RunResult r : results) {
            var e = r.evaluation();
            h.append("<tr><td>").append(esc(r.spec().label())).append("</td>");
            for (double v : new double[] {e.ndcg10(), e.recall100(), e.recall1000(), e.mrr10(), e.map1000()}) {
                h.append("<td>").append(String.format("%.4f", v)).append("</td>");
            }
            h.append("<td>").append(r.recallVsExact10() == null ? "-" : String.format("%.4f", r.recallVsExact10())).append("</td>")
                    .append("<td>").append(String.format("%.1f", r.latencies().percentileNanos(50) / 1e3)).append("</td>")
                    .append("<td>").append(String.format("%.1f", r.latencies().percentileNanos(99) / 1e3)).append("</td></tr>\n");
        }
        h.append("</table>\n");
        charts.forEach((file, caption) -> h.append("<figure><img src=\"").append(file).append("\" alt=\"")
                .append(esc(caption)).append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n"));
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
