package dev.lsr.seismic.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            assertThat(s.bytes()).isEqualTo(2_000L * 16 * 3 + SketchCodebook.CODES * 4);
            float max = 0f;
            for (int d = 0; d < f.size(); d++) {
                SparseVector v = f.vector(d);
                for (int i = 0; i < v.size(); i++) {
                    max = Math.max(max, v.value(i));
                }
            }
            assertThat(s.codebook().weight(SketchCodebook.CODES - 1)).isEqualTo(max);
            for (int d = 0; d < f.size(); d += 7) {
                SparseVector v = f.vector(d);
                List<int[]> entries = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    entries.add(new int[] {v.index(i), Float.floatToIntBits(v.value(i))});
                }
                // Largest weight first, ties by lower term: the reference order.
                entries.sort(Comparator.<int[]>comparingInt(x -> -x[1]).thenComparingInt(x -> x[0]));
                for (int j = 0; j < 16; j++) {
                    int term = j < entries.size() ? entries.get(j)[0] : 0;
                    assertThat(s.termAt(d, j)).as("%s doc %d entry %d", e, d, j).isEqualTo(term);
                    if (j < entries.size()) {
                        float exact = Float.intBitsToFloat(entries.get(j)[1]);
                        // At most one codebook step (2^(1/21.2)) below, never above.
                        assertThat(s.weightAt(d, j)).isLessThanOrEqualTo(exact).isGreaterThan(exact / 1.034f);
                    } else {
                        assertThat(s.weightAt(d, j)).isZero();
                    }
                }
            }
        }
    }

    @Test
    void theCodebookEncodesTheLargestWeightNotAbove() {
        SketchCodebook cb = SketchCodebook.forMax(2.5f);
        assertThat(cb.weight(0)).isZero();
        assertThat(cb.weight(255)).isEqualTo(2.5f);
        assertThat(cb.weight(1)).isCloseTo(2.5f / 4096, org.assertj.core.data.Offset.offset(1e-7f));
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            float w = (float) (r.nextDouble() * 3.0 * Math.pow(10, -r.nextInt(5)));
            int c = cb.encode(w);
            assertThat(cb.weight(c)).isLessThanOrEqualTo(w);
            if (c < 255) {
                assertThat(cb.weight(c + 1)).isGreaterThan(w);
            }
        }
        assertThat(cb.encode(-1f)).isZero();
        assertThat(cb.encode(Float.NaN)).isZero();
        assertThat(cb.encode(100f)).isEqualTo(255);
        assertThat(SketchCodebook.read(cb.segment()).weights()).containsExactly(cb.weights());
        java.lang.foreign.MemorySegment bad = cb.segment();
        bad.set(Layouts.F32, 40 * 4, 0f);
        assertThatThrownBy(() -> SketchCodebook.read(bad)).hasMessageContaining("code 40");
        assertThat(SketchCodebook.forMax(0f).encode(1f)).isZero();
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
