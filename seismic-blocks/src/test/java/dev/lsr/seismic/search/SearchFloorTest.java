package dev.lsr.seismic.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.TestData;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.SyntheticCollection;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The score floor of {@link SeismicSearcher#search(SparseVector, SearchParams, float, java.util.function.IntPredicate, int[], float[])}. */
class SearchFloorTest {
    static final SyntheticCollection COLL = new SyntheticCollection(8_000, 11);
    static SeismicIndex index;
    static List<SparseVector> queries;

    @BeforeAll
    static void build() {
        index = SeismicBuilder.build(TestData.forward(COLL, 8_000, WeightEncoding.F16),
                BuildParams.defaults().withNPostings(120));
        queries = TestData.queries(COLL, 40);
    }

    @Test
    void zeroFloorIsThePlainSearch() {
        SeismicSearcher s = index.newSearcher();
        int[] a = new int[10];
        float[] as = new float[10];
        int[] b = new int[10];
        float[] bs = new float[10];
        for (SparseVector q : queries) {
            int na = s.search(q, SearchParams.defaults(), null, a, as);
            int nb = s.search(q, SearchParams.defaults(), 0f, null, b, bs);
            assertThat(nb).isEqualTo(na);
            assertThat(Arrays.copyOf(b, nb)).containsExactly(Arrays.copyOf(a, na));
            assertThat(Arrays.copyOf(bs, nb)).containsExactly(Arrays.copyOf(as, na));
        }
    }

    @Test
    void exhaustiveSearchIgnoresTheFloor() {
        SeismicSearcher s = index.newSearcher();
        int[] a = new int[10];
        float[] as = new float[10];
        int[] b = new int[10];
        float[] bs = new float[10];
        for (SparseVector q : queries) {
            int na = s.search(q, SearchParams.exhaustive(10), null, a, as);
            int nb = s.search(q, SearchParams.exhaustive(10), as[0] * 2, null, b, bs);
            assertThat(Arrays.copyOf(b, nb)).containsExactly(Arrays.copyOf(a, na));
        }
    }

    @Test
    void floorSkipsBlocksAndAnUnreachableFloorOpensNone() {
        SeismicSearcher plain = index.newSearcher();
        SeismicSearcher floored = index.newSearcher();
        int[] a = new int[10];
        float[] as = new float[10];
        SearchParams p = SearchParams.defaults().withHeapFactor(1f).withKnn(false);
        for (SparseVector q : queries) {
            int n = plain.search(q, p, null, a, as);
            assertThat(n).isEqualTo(10);
            // The k-th score of this very search: a caller holding k hits this good needs fewer blocks.
            floored.search(q, p, as[n - 1], null, a, as);
        }
        assertThat(floored.docsScored()).isLessThan(plain.docsScored());
        long before = floored.docsScored();
        for (SparseVector q : queries) {
            assertThat(floored.search(q, p, 1e30f, null, a, as)).isZero();
        }
        assertThat(floored.docsScored()).isEqualTo(before);
    }

    @Test
    void badFloorRefused() {
        SeismicSearcher s = index.newSearcher();
        assertThatThrownBy(() -> s.search(queries.get(0), SearchParams.defaults(), Float.NaN, null, new int[10], new float[10]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scoreFloor");
    }
}
