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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The heap block order (the optimised kernel) against its reference, the full sort. */
class BlockQueueTest {

    @Test
    void popsComeOutInDescendingSortOrder() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
            for (int rep = 0; rep < 20; rep++) {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    // Packed like the searcher: non-negative float bits (with repeats) above the block index.
                    float score = r.nextInt(8) * 0.25f;
                    a[i] = ((long) Float.floatToRawIntBits(score) << 32) | i;
                }
                long[] sorted = a.clone();
                Arrays.sort(sorted);
                BlockQueue.heapify(a, n);
                for (int v = 0; v < n; v++) {
                    assertThat(BlockQueue.pop(a, n - v)).as("n=%d pop %d", n, v).isEqualTo(sorted[n - 1 - v]);
                }
            }
        }
    }

    @Test
    void searchWithTheHeapEqualsSearchWithTheSort() {
        SyntheticCollection c = new SyntheticCollection(8_000, 21);
        ForwardIndex f = TestData.forward(c, 8_000, WeightEncoding.F16);
        SeismicIndex index = SeismicBuilder.build(f, BuildParams.defaults().withNPostings(120));
        SeismicSearcher heap = new SeismicSearcher(index, false);
        SeismicSearcher sort = new SeismicSearcher(index, true);
        List<SparseVector> qs = TestData.queries(c, 60);
        for (SearchParams p : List.of(SearchParams.defaults(), SearchParams.defaults().withHeapFactor(0.6f).withQueryCut(20),
                SearchParams.defaults().withK(50))) {
            for (SparseVector q : qs) {
                int[] ho = new int[p.k()];
                float[] hs = new float[p.k()];
                int[] so = new int[p.k()];
                float[] ss = new float[p.k()];
                assertThat(heap.search(q, p, d -> d % 5 != 0, ho, hs)).isEqualTo(sort.search(q, p, d -> d % 5 != 0, so, ss));
                assertThat(ho).isEqualTo(so);
                assertThat(hs).isEqualTo(ss);
            }
        }
        assertThat(heap.docsScored()).isEqualTo(sort.docsScored()).isPositive();
        assertThat(heap.blocksScored()).isEqualTo(sort.blocksScored());
    }
}
