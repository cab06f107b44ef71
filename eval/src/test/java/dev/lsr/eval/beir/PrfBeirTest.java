package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
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
        Path runFile = tmp.resolve("runs/run.trec");
        BeirCommandTest.Result r = BeirCommandTest.runPreEncoded(data, "--mode", "exact,bm25", "--prf-weight", "0,0.5", "--prf-docs", "2", "--prf-terms", "5",
                "--json", json.toString(), "--run", runFile.toString(), "--warmup", "0", "--quiet");
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
        // Weight 0.5, worked by hand: q4 = {tennis: 2, ball: 1} first finds d11 = {tennis 3, ball 2,
        // racket 1} (score 8) and d10 = {soccer 3, ball 2, goal 1} (2); their summed vectors, all five
        // terms (L1 12), scaled to the query's L1 (3) take half: q' = {tennis 1.375, ball 1, racket 0.125,
        // soccer 0.375, goal 0.125}, so d11 scores 6.25 and d10 3.25. q1 = {coffee 2, espresso 1} finds
        // d0 alone: q' = {coffee 1.75, espresso 1, bean 0.25}, d0 scores 7.5.
        assertThat(hits(runFile, "prf_weight=0.5")).contains("q4 d11 6.25", "q4 d10 3.25", "q1 d0 7.5");
        assertThat(hits(runFile, "prf_weight=0.0")).contains("q4 d11 8.0", "q4 d10 2.0", "q1 d0 8.0");
        assertThat(runs.get(2).get("ndcg@10").asDouble()).isEqualTo(1.0);
    }

    /** "query doc score" of each line of the one run file whose tag contains {@code tagPart}. */
    private static List<String> hits(Path runFile, String tagPart) throws IOException {
        try (var files = Files.list(runFile.getParent())) {
            List<Path> matching = files.filter(f -> f.getFileName().toString().contains(tagPart)).toList();
            assertThat(matching).as(tagPart).hasSize(1);
            return Files.readAllLines(matching.get(0)).stream().map(l -> l.split(" "))
                    .map(f -> f[0] + " " + f[2] + " " + f[4]).toList();
        }
    }

    @Test
    void badPrfOptionsAreOneLine() throws IOException {
        Path data = BeirFixture.write(tmp.resolve("fixture"));
        BeirCommandTest.Result r = BeirCommandTest.runPreEncoded(data, "--mode", "exact", "--prf-weight", "1.5", "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--prf-weight must be in [0, 1], got 1.5");
    }
}
