package dev.lsr.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
                "--n-postings", "100", "--warmup", "20", "--exact-latency-queries", "5", "--threads", "2",
                "--sweep-query-cuts", "5,10", "--sweep-heap-factors", "1.0,0.8", "--kappa", "2",
                "--save", dir.resolve("saved").toString(), "--no-progress", "--json", json.toString());
        assertThat(rc).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(json.toFile());
        for (String m : new String[] {"seismic", "exact", "lucene"}) {
            JsonNode n = r.path("methods").path(m);
            assertThat(n.path("recall@10").asDouble()).as(m).isBetween(0.5, 1.0);
            for (String p : new String[] {"p50", "p95", "p99"}) {
                assertThat(n.path("latency_us").path(p).asDouble()).as(m + " " + p).isPositive();
            }
            assertThat(n.path("qps").asDouble()).isPositive();
            assertThat(n.path("build_s").isNumber()).isTrue();
            assertThat(n.path("index_bytes").asLong()).isPositive();
        }
        assertThat(r.path("methods").path("exact").path("recall@10").asDouble()).isEqualTo(1.0);
        assertThat(r.path("speedup_vs_exact").asDouble()).isPositive();
        assertThat(r.path("speedup_vs_lucene").asDouble()).isPositive();
        assertThat(r.path("docs").asInt()).isEqualTo(3000);
        assertThat(r.path("queries").asInt()).isEqualTo(40);
        assertThat(r.path("params").path("n_postings").asInt()).isEqualTo(100);
        assertThat(r.path("sweep")).hasSize(4);
        assertThat(r.path("open").path("queries_identical").asInt()).isEqualTo(40);
        assertThat(Files.exists(dir.resolve("saved").resolve("seismic.idx"))).isTrue();
    }

    @Test
    void badSourceIsExitTwo() {
        assertThat(Main.run("bench", "seismic", "--docs", "synthetic:oops", "--queries", "synthetic:5", "--no-progress"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.run("bench", "seismic", "--docs", dir.resolve("nope.csr").toString(), "--queries", "synthetic:5",
                "--no-progress")).isEqualTo(ExitCodes.BAD_INPUT);
    }
}
