package dev.lsr.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-worked cases; each expected value is derived in the comment above it. */
class TrecEvalTest {

    private static final double EPS = 1e-12;

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void binaryRelevanceAllMeasures() {
        // ranking d1 (non-rel), d2 (rel), d3 (unjudged), d4 (rel); 3 relevant in qrels (d9 never retrieved)
        Map<String, Integer> judged = Map.of("d1", 0, "d2", 1, "d4", 1, "d9", 1);
        List<ScoredDoc> run = List.of(
                new ScoredDoc("d1", 4.0), new ScoredDoc("d2", 3.0),
                new ScoredDoc("d3", 2.0), new ScoredDoc("d4", 1.0));
        QueryScores q = TrecEval.evaluateQuery("q", run, judged);
        // DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3) + 1/log2(4)
        double dcg = 1 / log2(3) + 1 / log2(5);
        double idcg = 1 + 1 / log2(3) + 1 / log2(4);
        assertThat(q.ndcg10()).isCloseTo(dcg / idcg, within(EPS));
        assertThat(q.recall100()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(q.recall1000()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(q.mrr10()).isCloseTo(0.5, within(EPS));
        // AP = (1/2 + 2/4) / 3
        assertThat(q.map1000()).isCloseTo((0.5 + 0.5) / 3, within(EPS));
        assertThat(q.relevant()).isEqualTo(3);
    }

    @Test
    void gradedRelevanceUsesTheJudgementAsGain() {
        // ranking: a (rel 1), b (rel 2), c (rel 0); ideal: b(2), a(1)
        Map<String, Integer> judged = Map.of("a", 1, "b", 2, "c", 0);
        List<ScoredDoc> run = List.of(new ScoredDoc("a", 3), new ScoredDoc("b", 2), new ScoredDoc("c", 1));
        QueryScores q = TrecEval.evaluateQuery("q", run, judged);
        double dcg = 1 / log2(2) + 2 / log2(3);
        double idcg = 2 / log2(2) + 1 / log2(3);
        assertThat(q.ndcg10()).isCloseTo(dcg / idcg, within(EPS));
        // both graded levels count as relevant at level 1
        assertThat(q.map1000()).isCloseTo((1.0 + 1.0) / 2, within(EPS));
        assertThat(q.mrr10()).isEqualTo(1.0);
    }

    @Test
    void tiesAreBrokenByDocumentIdDescendingNotByInputOrder() {
        // all scores equal: trec_eval orders "c" > "b" > "a"; only "a" is relevant -> rank 3
        Map<String, Integer> judged = Map.of("a", 1);
        List<ScoredDoc> run = List.of(new ScoredDoc("a", 1.0), new ScoredDoc("b", 1.0), new ScoredDoc("c", 1.0));
        QueryScores q = TrecEval.evaluateQuery("q", run, judged);
        assertThat(q.mrr10()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(q.ndcg10()).isCloseTo(1 / log2(4), within(EPS));
        // byte order, not numeric: "10" < "9", so "9" ranks first
        QueryScores numeric = TrecEval.evaluateQuery("q",
                List.of(new ScoredDoc("10", 5.0), new ScoredDoc("9", 5.0)), Map.of("10", 1));
        assertThat(numeric.mrr10()).isEqualTo(0.5);
    }

    @Test
    void runOrderIsIgnoredInFavourOfScores() {
        Map<String, Integer> judged = Map.of("x", 1);
        List<ScoredDoc> run = List.of(new ScoredDoc("y", 1.0), new ScoredDoc("x", 2.0));
        assertThat(TrecEval.evaluateQuery("q", run, judged).mrr10()).isEqualTo(1.0);
    }

    @Test
    void cutoffsAreRespected() {
        // relevant doc at rank 11: outside nDCG@10 and MRR@10, inside recall@100 and MAP@1000
        Map<String, Integer> judged = Map.of("r", 1);
        List<ScoredDoc> run = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            run.add(new ScoredDoc("n" + i, 100 - i));
        }
        run.add(new ScoredDoc("r", 50));
        QueryScores q = TrecEval.evaluateQuery("q", run, judged);
        assertThat(q.ndcg10()).isZero();
        assertThat(q.mrr10()).isZero();
        assertThat(q.recall100()).isEqualTo(1.0);
        assertThat(q.map1000()).isCloseTo(1.0 / 11, within(EPS));
    }

    @Test
    void queriesWithoutRelevantOrWithoutResultsScoreZeroAndStayInTheMean() {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        qrels.put("q1", Map.of("d1", 1));
        qrels.put("q2", Map.of("d2", 0)); // judged, nothing relevant
        qrels.put("q3", Map.of("d3", 1)); // not in the run
        Map<String, List<ScoredDoc>> run = Map.of(
                "q1", List.of(new ScoredDoc("d1", 1)),
                "q2", List.of(new ScoredDoc("d2", 1)),
                "q4", List.of(new ScoredDoc("d1", 1))); // not in qrels: ignored
        Evaluation e = new TrecEval(qrels).evaluate(run);
        assertThat(e.queries()).isEqualTo(3);
        assertThat(e.perQuery().get(1).ndcg10()).isZero();
        assertThat(e.perQuery().get(1).recall100()).isZero();
        assertThat(e.perQuery().get(2).retrieved()).isZero();
        assertThat(e.ndcg10()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(e.mrr10()).isCloseTo(1.0 / 3, within(EPS));
    }

    @Test
    void duplicateDocumentsInARunAreRefused() {
        assertThatThrownBy(() -> TrecEval.evaluateQuery("q",
                List.of(new ScoredDoc("a", 1), new ScoredDoc("a", 2)), Map.of("a", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void overlapAtKComparesTopSets() {
        List<ScoredDoc> exact = List.of(new ScoredDoc("a", 3), new ScoredDoc("b", 2), new ScoredDoc("c", 1));
        List<ScoredDoc> approx = List.of(new ScoredDoc("a", 3), new ScoredDoc("c", 1));
        assertThat(TrecEval.overlapAtK(approx, exact, 2)).isEqualTo(0.5);
        assertThat(TrecEval.overlapAtK(approx, exact, 10)).isCloseTo(2.0 / 3, within(EPS));
    }
}
