package dev.lsr.seismic.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.TestData;
import dev.lsr.seismic.io.SyntheticCollection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The document sketches: what they hold, their kernel against its reference, the score bound. */
class DocSketchesTest {
    static final SyntheticCollection COLL = new SyntheticCollection(2_000, 7);

    @Test
    void holdsEachDocumentsLargestWeightsRoundedTowardZero() {
        for (WeightEncoding e : WeightEncoding.values()) {
            ForwardIndex f = TestData.forward(COLL, 2_000, e);
            DocSketches s = DocSketches.build(f, 16);
            assertThat(s.size()).isEqualTo(2_000);
            for (int d = 0; d < f.size(); d += 7) {
                SparseVector v = f.vector(d);
                List<int[]> entries = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    entries.add(new int[] {v.index(i), DocSketches.towardZero(v.value(i))});
                }
                // Largest (rounded) weight first, ties by lower term: the reference order.
                entries.sort(Comparator.<int[]>comparingInt(x -> -x[1]).thenComparingInt(x -> x[0]));
                for (int j = 0; j < 16; j++) {
                    int term = j < entries.size() ? entries.get(j)[0] : 0;
                    float w = j < entries.size() ? Float.float16ToFloat((short) entries.get(j)[1]) : 0f;
                    assertThat(s.termAt(d, j)).as("%s doc %d entry %d", e, d, j).isEqualTo(term);
                    assertThat(s.weightAt(d, j)).isEqualTo(w);
                    if (j < entries.size()) {
                        float exact = v.value(indexOf(v, term));
                        assertThat(s.weightAt(d, j)).isLessThanOrEqualTo(exact).isGreaterThan(exact * 0.998f);
                    }
                }
            }
        }
    }

    private static int indexOf(SparseVector v, int term) {
        for (int i = 0; i < v.size(); i++) {
            if (v.index(i) == term) {
                return i;
            }
        }
        throw new AssertionError("term " + term + " not in the document");
    }

    /**
     * The batched kernel equals its reference, and a sketch score never exceeds the document's
     * exact score for non-negative queries (the bound the search's block threshold relies on).
     */
    @Test
    void batchAgreesWithTheReferenceAndNeverExceedsTheExactScore() {
        ForwardIndex f = TestData.forward(COLL, 2_000, WeightEncoding.F16);
        DocSketches s = DocSketches.build(f, 32);
        SplittableRandom r = new SplittableRandom(5);
        float[] dense = new float[f.dim()];
        int[] ords = new int[64];
        float[] out = new float[64];
        int strictlyBelow = 0;
        for (int qi = 0; qi < 40; qi++) {
            SparseVector q = COLL.query(qi);
            for (int i = 0; i < q.size(); i++) {
                dense[q.index(i)] = q.value(i);
            }
            for (int i = 0; i < ords.length; i++) {
                ords[i] = r.nextInt(f.size());
            }
            s.scoreBatch(ords, ords.length, dense, out);
            for (int i = 0; i < ords.length; i++) {
                double ref = s.scoreReference(ords[i], dense);
                assertThat((double) out[i]).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, ref)));
                double exact = f.dotReference(ords[i], dense);
                assertThat(ref).isLessThanOrEqualTo(exact + 1e-5 * Math.max(1, exact));
                strictlyBelow += ref < exact - 1e-6 ? 1 : 0;
            }
            for (int i = 0; i < q.size(); i++) {
                dense[q.index(i)] = 0f;
            }
        }
        // The sketch is a real cut: it must miss some of the exact score somewhere.
        assertThat(strictlyBelow).isPositive();
    }

    @Test
    void noSketchesForWideVocabulariesOrZeroTerms() {
        ForwardIndex wide = ForwardIndex.of(List.of(SparseVector.wrap(new int[] {3, 70_000}, new float[] {1f, 2f}, 70_001)),
                70_001, WeightEncoding.F16);
        assertThat(DocSketches.build(wide, 32)).isSameAs(DocSketches.NONE);
        assertThat(DocSketches.build(TestData.forward(COLL, 10, WeightEncoding.F16), 0)).isSameAs(DocSketches.NONE);
    }
}
