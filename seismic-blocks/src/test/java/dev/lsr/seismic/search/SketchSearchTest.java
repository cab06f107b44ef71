package dev.lsr.seismic.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.TestData;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.GeneratedCollection;
import dev.lsr.seismic.io.RealisticCollection;
import dev.lsr.seismic.io.SyntheticCollection;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Search over document sketches (candidates scored on their top terms, the best rescored
 * exactly) on lists that are really pruned and blocks that are really skipped, against the same
 * index searched with every candidate scored exactly.
 */
class SketchSearchTest {

    record Run(double recall, long docsScored, long rescored) {}

    private static Run run(SeismicIndex index, List<SparseVector> qs, int[][] truth, SearchParams p, boolean checkScores) {
        SeismicSearcher s = new SeismicSearcher(index);
        int[] o = new int[p.k()];
        float[] sc = new float[p.k()];
        float[] dense = new float[index.dim()];
        double hits = 0;
        for (int i = 0; i < qs.size(); i++) {
            SparseVector q = qs.get(i);
            int n = s.search(q, p, null, o, sc);
            for (int j = 0; j < n; j++) {
                for (int t : truth[i]) {
                    hits += t == o[j] ? 1 : 0;
                }
            }
            if (checkScores) {
                for (int t = 0; t < q.size(); t++) {
                    dense[q.index(t)] = q.value(t);
                }
                for (int j = 0; j < n; j++) {
                    // Returned scores are exact (rescored from the forward index), not sketch scores.
                    assertThat(sc[j]).isEqualTo(index.forward().dot(o[j], dense));
                }
                for (int t = 0; t < q.size(); t++) {
                    dense[q.index(t)] = 0f;
                }
            }
        }
        return new Run(hits / (qs.size() * (double) p.k()), s.docsScored(), s.docsRescored());
    }

    private static int[][] truth(ForwardIndex f, List<SparseVector> qs, int k) {
        ExactSearcher ex = new ExactSearcher(f);
        int[][] t = new int[qs.size()][k];
        float[] sc = new float[k];
        for (int i = 0; i < qs.size(); i++) {
            ex.search(qs.get(i), SearchParams.exhaustive(k), null, t[i], sc);
        }
        return t;
    }

    private static void sketchesKeepRecall(GeneratedCollection c, int docs, int nPostings, List<SparseVector> qs,
            double floor) {
        ForwardIndex f = ForwardIndex.of(IntStream.range(0, docs).parallel().mapToObj(c::document).toList(), c.dim(),
                WeightEncoding.F16);
        SeismicIndex index = SeismicBuilder.build(f, BuildParams.defaults().withNPostings(nPostings).withThreads(2));
        assertThat(index.sketches().terms()).isEqualTo(BuildParams.DEFAULT_SKETCH_TERMS);
        int[][] truth = truth(f, qs, 10);
        SearchParams p = SearchParams.defaults().withKnn(false);
        Run sketched = run(index, qs, truth, p, true);
        Run exactScored = run(index, qs, truth, p.withRerank(SearchParams.NO_SKETCHES), false);
        Run shallow = run(index, qs, truth, p.withRerank(10), false);
        System.out.printf("%s: sketches %.4f (%d docs, %d rescored), exact scoring %.4f (%d docs), rerank 10 %.4f%n",
                c.getClass().getSimpleName(), sketched.recall(), sketched.docsScored(), sketched.rescored(),
                exactScored.recall(), exactScored.docsScored(), shallow.recall());
        // Pruning prunes: a small share of the documents is opened per query.
        assertThat(sketched.docsScored()).isLessThan((long) docs * qs.size() / 10);
        assertThat(exactScored.recall()).isLessThan(0.999);
        // At most the rerank depth is rescored per query, and sketches keep the recall.
        assertThat(sketched.rescored()).isPositive().isLessThanOrEqualTo((long) p.rerankDepth() * qs.size());
        assertThat(exactScored.rescored()).isZero();
        assertThat(sketched.recall()).isGreaterThanOrEqualTo(floor).isGreaterThanOrEqualTo(exactScored.recall() - 0.02);
        // The rescore depth matters: ten sketch-ranked candidates lose what a hundred keep.
        assertThat(shallow.recall()).isLessThan(sketched.recall());
    }

    @Test
    void syntheticSketchesKeepTheRecallOfExactScoring() {
        SyntheticCollection c = new SyntheticCollection(8_000, 21);
        sketchesKeepRecall(c, 8_000, 60, TestData.queries(c, 100), 0.9);
    }

    @Test
    void realisticSketchesKeepTheRecallOfExactScoring() {
        Assumptions.assumeTrue(Files.isRegularFile(RealisticCollection.sharedFile()),
                "shared SPLADE++ vectors absent: " + RealisticCollection.sharedFile());
        RealisticCollection c = TestData.realistic(20_000, 3);
        List<SparseVector> qs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            qs.add(c.query(i));
        }
        sketchesKeepRecall(c, 20_000, 60, qs, 0.9);
    }

    /**
     * The unrescored candidates are the rerank pool of the plain search: rescored from the forward
     * index and cut to k they give the plain search's hits and scores; their sketch scores do not
     * exceed those exact scores (up to float rounding); and where sketches are off the call is the plain search.
     */
    @Test
    void unrescoredCandidatesRescoredGiveThePlainSearch() {
        SyntheticCollection c = new SyntheticCollection(8_000, 21);
        ForwardIndex f = TestData.forward(c, 8_000, WeightEncoding.F16);
        SeismicIndex index = SeismicBuilder.build(f, BuildParams.defaults().withNPostings(60).withThreads(2));
        SeismicSearcher s = new SeismicSearcher(index);
        SearchParams p = SearchParams.defaults().withKnn(false);
        assertThat(s.unrescored(p)).isTrue();
        assertThat(s.unrescored(p.withRerank(SearchParams.NO_SKETCHES))).isFalse();
        assertThat(s.unrescored(SearchParams.exhaustive(10))).isFalse();
        float[] dense = new float[index.dim()];
        int depth = p.rerankDepth();
        int sketchedBelowExact = 0;
        for (SparseVector q : TestData.queries(c, 60)) {
            int[] plain = new int[10];
            float[] plainScores = new float[10];
            int np = s.search(q, p, 0.5f, null, plain, plainScores);
            int[] cand = new int[depth];
            float[] candScores = new float[depth];
            int nc = s.searchUnrescored(q, p, 0.5f, null, cand, candScores);
            assertThat(nc).isLessThanOrEqualTo(depth).isGreaterThanOrEqualTo(np);
            for (int t = 0; t < q.size(); t++) {
                dense[q.index(t)] = q.value(t);
            }
            TopKHeap top = new TopKHeap();
            top.reset(10);
            for (int j = 0; j < nc; j++) {
                float exact = index.forward().dot(cand[j], dense);
                // At most the exact score, up to float rounding (the sums add in another order).
                assertThat(candScores[j]).isLessThanOrEqualTo(exact * (1f + 1e-5f));
                sketchedBelowExact += candScores[j] < exact ? 1 : 0;
                top.offer(cand[j], exact);
            }
            for (int t = 0; t < q.size(); t++) {
                dense[q.index(t)] = 0f;
            }
            int[] got = new int[10];
            float[] gotScores = new float[10];
            assertThat(top.drainSorted(got, gotScores)).isEqualTo(np);
            assertThat(got).isEqualTo(plain);
            assertThat(gotScores).isEqualTo(plainScores);
            // Without sketches the call is the plain search.
            SearchParams exactScoring = p.withRerank(SearchParams.NO_SKETCHES);
            int ne = s.search(q, exactScoring, null, plain, plainScores);
            int nu = s.searchUnrescored(q, exactScoring, 0f, null, got, gotScores);
            assertThat(nu).isEqualTo(ne);
            assertThat(got).isEqualTo(plain);
        }
        // The sketches really are partial scores here (else the check above proves little).
        assertThat(sketchedBelowExact).isPositive();
    }

    /** heapFactor 0 visits everything and scores every candidate exactly, whatever the rerank depth. */
    @Test
    void exhaustiveSearchIgnoresSketches() {
        SyntheticCollection c = new SyntheticCollection(3_000, 4);
        ForwardIndex f = TestData.forward(c, 3_000, WeightEncoding.F16);
        SeismicIndex index = SeismicBuilder.build(f, BuildParams.defaults().withNPostings(80));
        SeismicSearcher s = new SeismicSearcher(index);
        for (SparseVector q : TestData.queries(c, 30)) {
            int[] a = new int[20];
            float[] as = new float[20];
            int[] b = new int[20];
            float[] bs = new float[20];
            int na = s.search(q, SearchParams.exhaustive(20), null, a, as);
            int nb = s.search(q, new SearchParams(20, Integer.MAX_VALUE, 0f, false, 20), null, b, bs);
            assertThat(nb).isEqualTo(na);
            assertThat(b).isEqualTo(a);
            assertThat(bs).isEqualTo(as);
        }
        assertThat(s.docsRescored()).isZero();
    }
}
