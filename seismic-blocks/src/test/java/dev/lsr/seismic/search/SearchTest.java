package dev.lsr.seismic.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.TestData;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.SyntheticCollection;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SearchTest {
    static final SyntheticCollection COLL = new SyntheticCollection(20_000, 7);
    static ForwardIndex forward;
    static List<SparseVector> queries;
    static SeismicIndex pruned;
    static SeismicIndex unpruned;

    @BeforeAll
    static void build() {
        forward = TestData.forward(COLL, 20_000, WeightEncoding.F16);
        queries = TestData.queries(COLL, 200);
        pruned = SeismicBuilder.build(forward, BuildParams.defaults().withNPostings(150));
        unpruned = SeismicBuilder.build(forward, BuildParams.unpruned().withKappa(4));
    }

    /** Brute force by decoding every stored vector and sorting all scores. */
    static int[] bruteForce(ForwardIndex f, SparseVector q, int k, java.util.function.IntPredicate accept) {
        float[] scores = new float[f.size()];
        for (int d = 0; d < f.size(); d++) {
            scores[d] = (float) f.vector(d).dot(q);
        }
        return IntStream.range(0, f.size()).filter(d -> accept == null || accept.test(d)).boxed()
                .sorted(Comparator.<Integer>comparingDouble(d -> -scores[d]).thenComparingInt(d -> d))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void exactAgreesWithBruteForce() {
        ExactSearcher ex = unpruned.newExactSearcher();
        int[] ords = new int[10];
        float[] scores = new float[10];
        for (SparseVector q : queries.subList(0, 30)) {
            int n = ex.search(q, SearchParams.defaults(), null, ords, scores);
            int[] expected = bruteForce(forward, q, 10, null);
            assertThat(n).isEqualTo(10);
            // Scores may differ in the last bit (summation order), so compare the sets of scores
            // by value and the ordinals where scores are well separated.
            for (int i = 0; i < n; i++) {
                assertThat(scores[i]).isCloseTo(forward.vector(expected[i]).dot(q), org.assertj.core.data.Offset.offset(1e-3f));
            }
            assertThat(scores[0]).isGreaterThanOrEqualTo(scores[n - 1]);
        }
    }

    @Test
    void forwardDotMatchesReference() {
        float[] dense = new float[forward.dim()];
        SparseVector q = queries.get(0);
        for (int i = 0; i < q.size(); i++) {
            dense[q.index(i)] = q.value(i);
        }
        for (int d = 0; d < 2000; d++) {
            assertThat(forward.dot(d, dense)).isCloseTo(forward.dotReference(d, dense), org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @ParameterizedTest
    @EnumSource(WeightEncoding.class)
    void dotBatchMatchesDotAndReference(WeightEncoding enc) {
        ForwardIndex f = enc == WeightEncoding.F16 ? forward : TestData.forward(COLL, 5_000, enc);
        float[] dense = new float[f.dim()];
        SparseVector q = queries.get(2);
        for (int i = 0; i < q.size(); i++) {
            dense[q.index(i)] = q.value(i);
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int[] ords = new int[300];
        for (int i = 0; i < ords.length; i++) {
            ords[i] = rnd.nextInt(f.size());
        }
        float[] out = new float[ords.length];
        f.dotBatch(ords, ords.length, dense, out, new long[ords.length]);
        for (int i = 0; i < ords.length; i++) {
            assertThat(out[i]).isEqualTo(f.dot(ords[i], dense));
            assertThat(out[i]).isCloseTo(f.dotReference(ords[i], dense), org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @ParameterizedTest
    @EnumSource(WeightEncoding.class)
    void exhaustiveSeismicEqualsExact(WeightEncoding enc) {
        ForwardIndex f = enc == WeightEncoding.F16 ? forward : TestData.forward(COLL, 5_000, enc);
        SeismicIndex idx = enc == WeightEncoding.F16 ? unpruned : SeismicBuilder.build(f, BuildParams.unpruned());
        SeismicSearcher s = idx.newSearcher();
        ExactSearcher ex = idx.newExactSearcher();
        int[] a = new int[20];
        float[] as = new float[20];
        int[] b = new int[20];
        float[] bs = new float[20];
        for (SparseVector q : queries) {
            int na = s.search(q, SearchParams.exhaustive(20), null, a, as);
            int nb = ex.search(q, SearchParams.exhaustive(20), null, b, bs);
            assertThat(na).isEqualTo(nb);
            assertThat(Arrays.copyOf(a, na)).containsExactly(Arrays.copyOf(b, nb));
            assertThat(Arrays.copyOf(as, na)).containsExactly(Arrays.copyOf(bs, nb));
        }
    }

    @Test
    void recallOnSyntheticAboveFloor() {
        SeismicSearcher s = pruned.newSearcher();
        ExactSearcher ex = pruned.newExactSearcher();
        int[] a = new int[10];
        float[] as = new float[10];
        int[] b = new int[10];
        float[] bs = new float[10];
        double recall = 0;
        for (SparseVector q : queries) {
            int na = s.search(q, SearchParams.defaults(), null, a, as);
            int nb = ex.search(q, SearchParams.defaults(), null, b, bs);
            Set<Integer> truth = new HashSet<>();
            for (int i = 0; i < nb; i++) {
                truth.add(b[i]);
            }
            int hit = 0;
            for (int i = 0; i < na; i++) {
                hit += truth.contains(a[i]) ? 1 : 0;
            }
            recall += hit / (double) nb;
        }
        recall /= queries.size();
        // Floor stated in the README: defaults on 20k synthetic documents, lists pruned to 150.
        assertThat(recall).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void acceptPredicateIsHonoured() {
        SeismicSearcher s = unpruned.newSearcher();
        ExactSearcher ex = unpruned.newExactSearcher();
        int[] a = new int[10];
        float[] as = new float[10];
        int[] b = new int[10];
        float[] bs = new float[10];
        for (SparseVector q : queries.subList(0, 50)) {
            int na = s.search(q, SearchParams.exhaustive(10).withKnn(true), d -> d % 3 == 0, a, as);
            int nb = ex.search(q, SearchParams.exhaustive(10), d -> d % 3 == 0, b, bs);
            assertThat(Arrays.stream(a, 0, na).allMatch(d -> d % 3 == 0)).isTrue();
            assertThat(Arrays.copyOf(a, na)).containsExactly(Arrays.copyOf(b, nb));
        }
    }

    @Test
    void searchAmongScoresOnlyTheCandidates() {
        ExactSearcher ex = unpruned.newExactSearcher();
        int[] cands = {5, 17, 42, 999, 1234, 15000};
        int[] o = new int[3];
        float[] sc = new float[3];
        SparseVector q = queries.get(3);
        int n = ex.searchAmong(q, 3, cands, 0, cands.length, null, o, sc);
        assertThat(n).isEqualTo(3);
        int[] expected = Arrays.stream(cands).boxed()
                .sorted(Comparator.<Integer>comparingDouble(d -> -ex.score(q, d)).thenComparingInt(d -> d))
                .limit(3).mapToInt(Integer::intValue).toArray();
        assertThat(Arrays.copyOf(o, n)).containsExactly(expected);
    }

    @Test
    void summaryDotMatchesReference() {
        SparseVector q = queries.get(1);
        float[] dense = new float[pruned.dim()];
        for (int i = 0; i < q.size(); i++) {
            dense[q.index(i)] = q.value(i);
        }
        SeismicSearcher s = pruned.newSearcher();
        // Fill the searcher's dense query by running a search, then compare on its scratch.
        for (int b = 0; b < Math.min(5000, pruned.blockCount()); b++) {
            assertThat((double) SeismicSearcherAccess.summaryDot(s, b, q))
                    .isCloseTo(SeismicSearcher.summaryDotReference(pruned, b, dense), org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void warmSearchAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        SeismicSearcher s = pruned.newSearcher();
        int[] a = new int[10];
        float[] as = new float[10];
        SearchParams p = SearchParams.defaults();
        // Enough rounds for the optimising compiler (C1 code does no escape analysis).
        for (int round = 0; round < 60; round++) {
            for (SparseVector q : queries) {
                s.search(q, p, null, a, as);
            }
        }
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (SparseVector q : queries) {
            s.search(q, p, null, a, as);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // A few bytes of slack for the measurement itself; per-query allocation would be >= 200 x 16.
        assertThat(allocated).isLessThan(2_000);
    }

    @Test
    void knnGraphHasNeighboursAndNotSelf() {
        assertThat(unpruned.kappa()).isEqualTo(4);
        for (int d = 0; d < 100; d++) {
            for (int j = 0; j < 4; j++) {
                int nb = unpruned.knn().get(dev.lsr.seismic.forward.Layouts.I32, ((long) d * 4 + j) * 4);
                assertThat(nb).isNotEqualTo(d).isBetween(-1, unpruned.size() - 1);
            }
        }
    }
}
