package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lsr beir --prf-weight}: each sparse setting runs without and with Rocchio PRF at each weight. */
class PrfBeirTest {

    @TempDir
    Path tmp;

    @Test
    void prfRunsBesideEachSparseSetting() throws IOException {
        Path data = BeirFixture.write(tmp.resolve("fixture"));
        Path json = tmp.resolve("prf.json");
        BeirCommandTest.Result r = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--docs", data.resolve("docs.jsonl").toString(), "--queries", data.resolve("queries.tsv").toString(),
                "--mode", "exact,bm25", "--prf-weight", "0,0.5", "--prf-docs", "2", "--prf-terms", "5",
                "--json", json.toString(), "--warmup", "0", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode runs = JsonMapper.builder().build().readTree(json.toFile()).get("runs");
        List<String> labels = new ArrayList<>();
        runs.forEach(run -> labels.add(run.get("mode").asString() + run.get("params").toString()));
        assertThat(labels).containsExactly(
                "exact{\"query_mode\":\"pre-encoded\"}",
                "exact{\"query_mode\":\"pre-encoded\",\"prf_docs\":2,\"prf_terms\":5,\"prf_weight\":0.0}",
                "exact{\"query_mode\":\"pre-encoded\",\"prf_docs\":2,\"prf_terms\":5,\"prf_weight\":0.5}",
                "bm25{}");
        // weight 0 is the query itself: the same run, measure for measure
        assertThat(runs.get(1).get("per_query_ndcg@10")).isEqualTo(runs.get(0).get("per_query_ndcg@10"));
        assertThat(runs.get(2).get("ndcg@10").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void badPrfOptionsAreOneLine() throws IOException {
        Path data = BeirFixture.write(tmp.resolve("fixture"));
        BeirCommandTest.Result r = BeirCommandTest.run("beir", "--data", data.toString(), "--split", "test",
                "--docs", data.resolve("docs.jsonl").toString(), "--queries", data.resolve("queries.tsv").toString(),
                "--mode", "exact", "--prf-weight", "1.5", "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--prf-weight must be in [0, 1], got 1.5");
    }
}
