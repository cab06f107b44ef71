package dev.lsr.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.CsrMatrix;
import dev.lsr.seismic.io.SyntheticCollection;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BenchSeismicCommandTest {
    @TempDir
    Path dir;

    @Test
    void smallRunWritesTheReportShapeOfDesignMd() throws Exception {
        Path json = dir.resolve("r.json");
        int rc = Main.run("bench", "seismic", "--docs", "synthetic:3000:9", "--queries", "synthetic:40:9",
                "--n-postings", "100", "--warmup", "20", "--warmup-ms", "0", "--qps-ms", "100", "--exact-latency-queries", "5", "--threads", "2",
                "--sweep-query-cuts", "5,10", "--sweep-heap-factors", "1.0,0.7", "--kappa", "2",
                "--save", dir.resolve("saved").toString(), "--export-csr", dir.resolve("csr").toString(),
                "--no-progress", "--json", json.toString());
        assertThat(rc).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(json.toFile());
        for (String m : new String[] {"seismic", "exact", "lucene", "exact_maxscore", "exact_taat", "exact_forward_scan"}) {
            JsonNode n = r.path("methods").path(m);
            for (String p : new String[] {"p50", "p95", "p99"}) {
                assertThat(n.path("latency_us").path(p).asDouble()).as(m + " " + p).isPositive();
            }
            assertThat(n.path("qps").asDouble()).isPositive();
            assertThat(n.path("build_s").isNumber()).isTrue();
            assertThat(n.path("index_bytes").asLong()).isPositive();
        }
        for (String m : new String[] {"exact", "exact_maxscore", "exact_taat", "exact_forward_scan"}) {
            assertThat(r.path("methods").path(m).path("recall@10").asDouble()).as(m).isEqualTo(1.0);
        }
        // Lucene's impacts keep 9 significant bits of each weight: a tie may swap, a broken
        // ordinal mapping would not come near.
        assertThat(r.path("methods").path("lucene").path("recall@10").asDouble()).isGreaterThanOrEqualTo(0.95);
        // Seismic prunes here (it scores a fraction of the documents) and still finds most of the top 10;
        // the sweep's point at the measured setting is the same deterministic search, hit for hit.
        JsonNode seismic = r.path("methods").path("seismic");
        assertThat(seismic.path("docs_scored_per_query").asDouble()).isPositive().isLessThan(3000 / 4.0);
        assertThat(seismic.path("recall@10").asDouble()).isGreaterThanOrEqualTo(0.95);
        JsonNode params = r.path("params");
        JsonNode same = null;
        for (JsonNode row : r.path("sweep")) {
            if (row.path("query_cut").asInt() == params.path("query_cut").asInt()
                    && row.path("heap_factor").asDouble() == params.path("heap_factor").asDouble()) {
                same = row;
            }
        }
        assertThat(same).as("sweep point at query_cut %s heap_factor %s", params.path("query_cut"), params.path("heap_factor"))
                .isNotNull();
        assertThat(same.path("recall@10").asDouble()).isEqualTo(seismic.path("recall@10").asDouble());
        assertThat(params.path("warmup_ms").asLong()).isZero();
        assertThat(params.path("qps_ms").asLong()).isEqualTo(100);
        // "exact" is the faster inverted-list strategy of the run, never the forward scan.
        JsonNode exact = r.path("methods").path("exact");
        assertThat(exact.path("strategy").asString()).isIn("maxscore", "taat");
        assertThat(exact.path("latency_us").path("p50").asDouble()).isEqualTo(Math.min(
                r.path("methods").path("exact_maxscore").path("latency_us").path("p50").asDouble(),
                r.path("methods").path("exact_taat").path("latency_us").path("p50").asDouble()));
        assertFrontierAndAtRecall(r);
        assertThat(r.path("speedup_vs_exact").asDouble()).isPositive();
        assertThat(r.path("speedup_vs_lucene").asDouble()).isPositive();
        assertThat(r.path("docs").asInt()).isEqualTo(3000);
        assertThat(r.path("queries").asInt()).isEqualTo(40);
        assertThat(r.path("params").path("n_postings").asInt()).isEqualTo(100);
        assertThat(r.path("sweep")).hasSize(4);
        assertThat(r.path("open").path("queries_identical").asInt()).isEqualTo(40);
        assertThat(Files.exists(dir.resolve("saved").resolve("seismic.idx"))).isTrue();
        try (Arena arena = Arena.ofShared()) {
            CsrMatrix docs = CsrMatrix.open(dir.resolve("csr").resolve("docs.csr"), arena);
            CsrMatrix qs = CsrMatrix.open(dir.resolve("csr").resolve("queries.csr"), arena);
            assertThat(docs.rows()).isEqualTo(3000);
            assertThat(qs.rows()).isEqualTo(40);
            SyntheticCollection c = SyntheticCollection.parse("synthetic:3000:9");
            ForwardIndex f = ForwardIndex.of(List.of(c.document(17)), c.dim(), WeightEncoding.F16);
            assertThat(docs.row(17)).isEqualTo(f.vector(0));
            assertThat(qs.row(3)).isEqualTo(SyntheticCollection.parse("synthetic:40:9").query(3));
        }
    }

    /** frontier: non-dominated sweep points, fastest first; at_recall: the fastest point per level or null. */
    private static void assertFrontierAndAtRecall(JsonNode r) {
        List<double[]> sweep = new ArrayList<>();
        for (JsonNode row : r.path("sweep")) {
            sweep.add(new double[] {row.path("recall@10").asDouble(), row.path("latency_us").path("p50").asDouble()});
        }
        JsonNode frontier = r.path("frontier");
        assertThat(frontier.isArray()).isTrue();
        assertThat(frontier.size()).isBetween(1, sweep.size());
        double lastP50 = -1;
        for (JsonNode p : frontier) {
            double rec = p.path("recall@10").asDouble();
            double p50 = p.path("latency_us").path("p50").asDouble();
            assertThat(p.path("params").path("query_cut").isInt()).isTrue();
            assertThat(p.path("params").path("heap_factor").isNumber()).isTrue();
            assertThat(p50).isGreaterThanOrEqualTo(lastP50);
            lastP50 = p50;
            assertThat(sweep).noneMatch(s -> s[0] >= rec && s[1] < p50);
        }
        JsonNode at = r.path("at_recall");
        for (String level : new String[] {"0.90", "0.95", "0.98"}) {
            assertThat(at.has(level)).as(level).isTrue();
            double lv = Double.parseDouble(level);
            double best = sweep.stream().filter(s -> s[0] >= lv).mapToDouble(s -> s[1]).min().orElse(Double.NaN);
            if (Double.isNaN(best)) {
                assertThat(at.path(level).isNull()).as(level).isTrue();
            } else {
                assertThat(at.path(level).path("recall@10").asDouble()).isGreaterThanOrEqualTo(lv);
                assertThat(at.path(level).path("latency_us").path("p50").asDouble()).isEqualTo(best);
            }
        }
    }

    @Test
    void recallTargetReportsTheTunedParametersAndTheirMeasurementOnTheGivenQueries() throws Exception {
        Path json = dir.resolve("t.json");
        int rc = Main.run("bench", "seismic", "--docs", "synthetic:3000:4", "--queries", "synthetic:40:4",
                "--recall-target", "0.9", "--warmup", "20", "--warmup-ms", "0", "--qps-ms", "100", "--exact-latency-queries", "5", "--threads", "2",
                "--sweep-query-cuts", "5", "--sweep-heap-factors", "1.0", "--no-lucene", "--no-progress",
                "--json", json.toString());
        assertThat(rc).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(json.toFile());
        JsonNode params = r.path("params");
        JsonNode tune = r.path("tune");
        assertThat(params.path("tuned").asBoolean()).isTrue();
        assertThat(params.path("recall_target").asDouble()).isEqualTo(0.9);
        assertThat(tune.path("tuning_queries_source").asString()).contains("documents");
        assertThat(tune.path("tuning_queries").asInt()).isGreaterThanOrEqualTo(10);
        assertThat(tune.path("builds").asInt()).isBetween(1, 3);
        // The measured setting is the tuned one, and its recall is measured on the given queries.
        assertThat(params.path("query_cut").asInt()).isEqualTo(tune.path("chosen").path("query_cut").asInt());
        assertThat(params.path("heap_factor").asDouble()).isEqualTo(tune.path("chosen").path("heap_factor").asDouble());
        assertThat(params.path("knn").asBoolean()).isFalse();
        // The tuner reached the target on its pseudo-queries; the measured queries are other
        // queries of the same distribution, so their recall is near it, not necessarily above.
        assertThat(tune.path("reached_on_tuning_queries").asBoolean()).isTrue();
        assertThat(tune.path("chosen").path("tuning_recall@k").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.path("methods").path("seismic").path("recall@10").asDouble()).isGreaterThanOrEqualTo(0.85);
        assertThat(r.path("methods").path("seismic").path("docs_scored_per_query").asDouble()).isLessThan(3000 / 4.0);
        assertThat(r.path("methods").path("seismic").path("latency_us").path("p50").asDouble()).isPositive();
    }

    @Test
    void tuningQueriesReplacePseudoQueriesAndNeverIncludeTheMeasuredOnes() throws Exception {
        Path json = dir.resolve("tq.json");
        // synthetic:240:4 holds the 40 measured queries of synthetic:40:4 as its first 40.
        int rc = Main.run("bench", "seismic", "--docs", "synthetic:3000:4", "--queries", "synthetic:40:4",
                "--recall-target", "0.9", "--tuning-queries", "synthetic:240:4", "--max-tuning-queries", "150",
                "--warmup", "20", "--warmup-ms", "0", "--qps-ms", "100", "--exact-latency-queries", "5", "--threads", "2", "--no-sweep", "--no-lucene",
                "--no-progress", "--json", json.toString());
        assertThat(rc).isZero();
        JsonNode tune = JsonMapper.builder().build().readTree(json.toFile()).path("tune");
        assertThat(tune.path("tuning_queries").asInt()).isEqualTo(150);
        assertThat(tune.path("tuning_queries_source").asString())
                .isEqualTo("synthetic:240:4 (150 queries; 40 equal to measured queries left out)");
    }

    @Test
    void tuningQueriesWithoutRecallTargetOrOnlyMeasuredOnesAreExitTwo() {
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:500", "--queries", "synthetic:5",
                "--tuning-queries", "synthetic:100", "--no-progress")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:500", "--queries", "synthetic:20", "--recall-target",
                "0.9", "--tuning-queries", "synthetic:20", "--no-progress", "--no-lucene", "--no-sweep"))
                .isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void recallTargetWithAnExplicitKnobOrOutOfRangeIsExitTwo() {
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:500", "--queries", "synthetic:5", "--recall-target",
                "0.9", "--n-postings", "50", "--no-progress")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:500", "--queries", "synthetic:5", "--recall-target",
                "0.9", "--heap-factor", "0.8", "--no-progress")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:500", "--queries", "synthetic:5", "--recall-target",
                "1.5", "--no-progress", "--no-lucene", "--no-sweep")).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void negativeTimingIsExitTwo() {
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:500", "--queries", "synthetic:5", "--warmup-ms", "-1",
                "--no-progress")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:500", "--queries", "synthetic:5", "--qps-ms", "-5",
                "--no-progress")).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void badSourceIsExitTwo() {
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:oops", "--queries", "synthetic:5", "--no-progress"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("bench", "seismic", "--docs", dir.resolve("nope.csr").toString(), "--queries", "synthetic:5",
                "--no-progress")).isEqualTo(ExitCodes.BAD_INPUT);
        // Queries of another seed come from another synthetic collection: refused before any vector is made.
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:3000:7", "--queries", "synthetic:40:8", "--no-progress"))
                .isEqualTo(ExitCodes.BAD_INPUT);
    }
}
