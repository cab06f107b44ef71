package dev.lsr.seismic.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.TestData;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.SyntheticCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inverted-list exact searcher must return exactly what the forward-index scan returns: the
 * same ordinals in the same order and bit-identical scores (both come from ForwardIndex.dot),
 * with and without filters, on sources of different shape.
 */
class InvertedExactSearcherTest {

    record Source(String name, ForwardIndex forward, List<SparseVector> queries) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Source s : List.of(synthetic(WeightEncoding.F16), synthetic(WeightEncoding.U8), skewed(), wideAndSparse())) {
            for (InvertedExactSearcher.Strategy st : InvertedExactSearcher.Strategy.values()) {
                out.add(Arguments.of(s, st));
            }
        }
        return out.stream();
    }

    private static Source synthetic(WeightEncoding e) {
        SyntheticCollection c = new SyntheticCollection(6_000, 11);
        return new Source("synthetic-" + e, TestData.forward(c, 6_000, e), TestData.queries(c, 40));
    }

    /**
     * Zipf-like term frequencies and heavy-tailed weights, queries of 5-60 terms some of which are
     * absent from every document: long lists with very different bounds, where MaxScore stops early.
     */
    private static Source skewed() {
        int dim = 3_000;
        SplittableRandom r = new SplittableRandom(5);
        List<SparseVector> docs = new ArrayList<>();
        for (int d = 0; d < 8_000; d++) {
            docs.add(randomVector(r, dim, 10 + r.nextInt(150)));
        }
        List<SparseVector> qs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            qs.add(randomVector(r, dim + 50, 5 + r.nextInt(55)));
        }
        return new Source("skewed", ForwardIndex.of(docs, dim, WeightEncoding.F16), qs);
    }

    /** u32 term ids and queries matching fewer than k documents (score-0 fill, lowest ordinals). */
    private static Source wideAndSparse() {
        int dim = 100_000;
        SplittableRandom r = new SplittableRandom(8);
        List<SparseVector> docs = new ArrayList<>();
        for (int d = 0; d < 3_000; d++) {
            docs.add(randomVector(r, dim, 1 + r.nextInt(20)));
        }
        List<SparseVector> qs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            qs.add(randomVector(r, dim, 1 + r.nextInt(4)));
        }
        qs.add(SparseVector.empty());
        return new Source("wide-sparse", ForwardIndex.of(docs, dim, WeightEncoding.U8), qs);
    }

    private static SparseVector randomVector(SplittableRandom r, int dim, int n) {
        int[] idx = new int[n];
        float[] val = new float[n];
        for (int i = 0; i < n; i++) {
            // Cubing a uniform skews ids to the low end: a few very long lists.
            double u = r.nextDouble();
            idx[i] = (int) (u * u * u * dim);
            val[i] = (float) (0.01 + Math.pow(r.nextDouble(), 4) * 3);
        }
        int[] distinct = Arrays.stream(idx).distinct().toArray();
        return SparseVector.ofUnsorted(distinct, Arrays.copyOf(val, distinct.length), dim);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sameHitsAndScoresAsTheForwardScan(Source s, InvertedExactSearcher.Strategy strategy) {
        InvertedLists lists = InvertedLists.of(s.forward());
        assertThat(lists.postings()).isEqualTo(s.forward().nnz());
        ExactSearcher truth = new ExactSearcher(s.forward());
        InvertedExactSearcher fast = new InvertedExactSearcher(lists, s.forward(), strategy);
        List<IntPredicate> filters = new ArrayList<>();
        filters.add(null);
        filters.add(d -> d % 3 != 0);
        filters.add(d -> d % 211 == 5);
        for (int k : new int[] {1, 10, 100}) {
            SearchParams p = SearchParams.defaults().withK(k);
            for (IntPredicate f : filters) {
                for (SparseVector q : s.queries()) {
                    int[] eo = new int[k];
                    float[] es = new float[k];
                    int[] fo = new int[k];
                    float[] fs = new float[k];
                    int en = truth.search(q, p, f, eo, es);
                    int fn = fast.search(q, p, f, fo, fs);
                    assertThat(fn).as("hits of %s k=%d", q, k).isEqualTo(en);
                    assertThat(fo).as("ordinals of %s k=%d", q, k).isEqualTo(eo);
                    assertThat(fs).as("scores of %s k=%d", q, k).isEqualTo(es);
                }
            }
        }
    }

    /**
     * {@link InvertedExactSearcher#inTermOrder} over lists of float vectors: the documents sharing a
     * term with the query, ranked by {@link SparseVector#dot(float[])} (bit for bit), ties by lower
     * ordinal, under filters, for k below and above the number of matches, and query terms beyond
     * the lists' dim.
     */
    @Test
    void termOrderEqualsThePlainDotProductOfFloatVectors() {
        int dim = 3_000;
        SplittableRandom r = new SplittableRandom(21);
        List<SparseVector> docs = new ArrayList<>();
        for (int d = 0; d < 4_000; d++) {
            // Every fifth document empty (a segment's documents without a vector).
            docs.add(d % 5 == 4 ? SparseVector.empty() : randomVector(r, dim, 5 + r.nextInt(120)));
        }
        int[] counts = new int[dim];
        for (SparseVector v : docs) {
            for (int i = 0; i < v.size(); i++) {
                counts[v.index(i)]++;
            }
        }
        InvertedLists.Builder b = InvertedLists.builder(docs.size(), dim, counts);
        for (int d = 0; d < docs.size(); d++) {
            SparseVector v = docs.get(d);
            int[] ids = new int[v.size()];
            float[] ws = new float[v.size()];
            v.copyIndices(ids, 0);
            v.copyValues(ws, 0);
            b.add(d, ids, ws, v.size());
        }
        InvertedLists lists = b.build();
        InvertedExactSearcher searcher = InvertedExactSearcher.inTermOrder(lists);
        List<SparseVector> queries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            queries.add(randomVector(r, dim + 50, 1 + r.nextInt(40)));
        }
        queries.add(SparseVector.empty());
        List<IntPredicate> filters = new ArrayList<>();
        filters.add(null);
        filters.add(d -> d % 3 != 0);
        filters.add(d -> d % 211 == 5);
        float[] dense = new float[dim + 50];
        for (int k : new int[] {1, 10, 100, 5_000}) {
            for (IntPredicate f : filters) {
                for (SparseVector q : queries) {
                    for (int i = 0; i < q.size(); i++) {
                        dense[q.index(i)] = q.value(i);
                    }
                    List<long[]> expected = new ArrayList<>();
                    for (int d = 0; d < docs.size(); d++) {
                        float score = docs.get(d).dot(dense);
                        if (score > 0f && (f == null || f.test(d))) {
                            expected.add(new long[] {d, Float.floatToRawIntBits(score)});
                        }
                    }
                    expected.sort((x, y) -> {
                        int c = Float.compare(Float.intBitsToFloat((int) y[1]), Float.intBitsToFloat((int) x[1]));
                        return c != 0 ? c : Long.compare(x[0], y[0]);
                    });
                    for (int i = 0; i < q.size(); i++) {
                        dense[q.index(i)] = 0f;
                    }
                    int[] o = new int[k];
                    float[] sc = new float[k];
                    int n = searcher.search(q, SearchParams.defaults().withK(k), f, o, sc);
                    int want = Math.min(k, expected.size());
                    assertThat(n).as("hits of %s k=%d", q, k).isEqualTo(want);
                    for (int i = 0; i < n; i++) {
                        assertThat(o[i]).as("ordinal %d of %s k=%d", i, q, k).isEqualTo((int) expected.get(i)[0]);
                        assertThat(Float.floatToRawIntBits(sc[i])).as("score %d of %s k=%d", i, q, k)
                                .isEqualTo((int) expected.get(i)[1]);
                    }
                }
            }
        }
        assertThat(lists.length(dim + 7)).isZero();
    }

    @Test
    void builderRefusesPostingsItDidNotCount() {
        InvertedLists.Builder b = InvertedLists.builder(2, 10, new int[10]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.add(0, new int[] {3}, new float[] {1f}, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("term 3");
        int[] counts = new int[10];
        counts[3] = 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InvertedLists.builder(2, 10, counts).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("term 3");
    }

    @Test
    void maxScoreReadsFewerPostingsOnSkewedLists() {
        Source s = skewed();
        InvertedLists lists = InvertedLists.of(s.forward());
        InvertedExactSearcher taat = new InvertedExactSearcher(lists, s.forward(), InvertedExactSearcher.Strategy.TAAT);
        InvertedExactSearcher ms = new InvertedExactSearcher(lists, s.forward(), InvertedExactSearcher.Strategy.MAX_SCORE);
        int[] o = new int[10];
        float[] sc = new float[10];
        for (SparseVector q : s.queries()) {
            taat.search(q, SearchParams.defaults(), null, o, sc);
            ms.search(q, SearchParams.defaults(), null, o, sc);
        }
        // A MaxScore that never stops early would read exactly as many postings as TAAT.
        assertThat(ms.postingsScored()).isLessThan(taat.postingsScored() * 9 / 10);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(InvertedExactSearcher.Strategy.class)
    void warmSearchAllocatesNothing(InvertedExactSearcher.Strategy strategy) {
        Source s = synthetic(WeightEncoding.F16);
        InvertedExactSearcher fast = new InvertedExactSearcher(InvertedLists.of(s.forward()), s.forward(), strategy);
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int[] o = new int[10];
        float[] sc = new float[10];
        IntPredicate odd = d -> (d & 1) == 1;
        SearchParams p = SearchParams.defaults();
        // Enough rounds for the optimising compiler (C1 code does no escape analysis).
        for (int round = 0; round < 60; round++) {
            for (SparseVector q : s.queries()) {
                fast.search(q, p, odd, o, sc);
            }
        }
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (SparseVector q : s.queries()) {
            fast.search(q, p, odd, o, sc);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(allocated).isLessThan(2_000);
    }
}
