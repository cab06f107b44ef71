package dev.lsr.seismic.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.forward.WeightEncoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Summaries are upper bounds of their blocks before the alpha cut: every kept summary entry is at
 * least the largest weight of that term in any document of the block, and with alpha = 1 (no cut)
 * the summary's score bounds every document's score for any non-negative query.
 */
class SummaryBoundTest {

    /** Random sparse collection with skewed weights and term popularity; deterministic per seed. */
    static ForwardIndex randomCollection(long seed, int n, int dim, WeightEncoding enc) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<SparseVector> docs = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            int nnz = 5 + rnd.nextInt(60);
            Map<Integer, Float> m = new HashMap<>();
            while (m.size() < nnz) {
                // Squared uniform: popular low ids make long lists that get several blocks.
                double u = rnd.nextDouble();
                m.put((int) (u * u * dim), (float) (0.01 + 3 * Math.pow(rnd.nextDouble(), 3)));
            }
            int[] ids = m.keySet().stream().mapToInt(Integer::intValue).toArray();
            float[] ws = new float[ids.length];
            for (int i = 0; i < ids.length; i++) {
                ws[i] = m.get(ids[i]);
            }
            docs.add(SparseVector.ofUnsorted(ids, ws, dim));
        }
        return ForwardIndex.of(docs, dim, enc);
    }

    /** Block b's summary as a dense vector (decoded). */
    static float[] summary(SeismicIndex idx, int b) {
        float[] s = new float[idx.dim()];
        long s0 = Integer.toUnsignedLong(idx.summaryStarts().get(Layouts.I32, b * 4L));
        long s1 = Integer.toUnsignedLong(idx.summaryStarts().get(Layouts.I32, (b + 1L) * 4));
        float scale = idx.summaryScales().get(Layouts.F32, b * 4L);
        for (long e = s0; e < s1; e++) {
            int id = Short.toUnsignedInt(idx.summaryIds().get(Layouts.I16, e * 2));
            s[id] = Byte.toUnsignedInt(idx.summaryWeights().get(Layouts.U8, e)) * scale;
        }
        return s;
    }

    static int[] blockDocs(SeismicIndex idx, int b) {
        int p0 = idx.blockPostings().get(Layouts.I32, b * 4L);
        int p1 = idx.blockPostings().get(Layouts.I32, (b + 1L) * 4);
        int[] docs = new int[p1 - p0];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = idx.postings().get(Layouts.I32, (long) (p0 + i) * 4);
        }
        return docs;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void keptEntriesBoundTheirTermInEveryDocumentOfTheBlock(long seed) {
        ForwardIndex f = randomCollection(seed, 3000, 800, seed == 3 ? WeightEncoding.U8 : WeightEncoding.F16);
        SeismicIndex idx = SeismicBuilder.build(f, BuildParams.defaults().withNPostings(60).withThreads(2));
        assertThat(idx.blockCount()).isGreaterThan(800);
        int checked = 0;
        for (int b = 0; b < idx.blockCount(); b++) {
            float[] s = summary(idx, b);
            for (int d : blockDocs(idx, b)) {
                SparseVector v = f.vector(d);
                for (int i = 0; i < v.size(); i++) {
                    if (s[v.index(i)] > 0f) {
                        assertThat(s[v.index(i)]).as("block %d term %d doc %d", b, v.index(i), d)
                                .isGreaterThanOrEqualTo(v.value(i) * (1 - 1e-6f));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void withoutTheMassCutTheSummaryScoreBoundsEveryDocument(long seed) {
        ForwardIndex f = randomCollection(seed, 2000, 600, WeightEncoding.F16);
        SeismicIndex idx = SeismicBuilder.build(f, BuildParams.defaults().withNPostings(50).withSummaryAlpha(1f).withThreads(2));
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int qn = 0; qn < 20; qn++) {
            float[] q = new float[f.dim()];
            for (int j = 0; j < 30; j++) {
                q[rnd.nextInt(f.dim())] = (float) rnd.nextDouble() * 2;
            }
            for (int b = 0; b < idx.blockCount(); b++) {
                float[] s = summary(idx, b);
                double bound = 0;
                for (int t = 0; t < q.length; t++) {
                    bound += (double) s[t] * q[t];
                }
                for (int d : blockDocs(idx, b)) {
                    assertThat(bound).as("block %d doc %d", b, d).isGreaterThanOrEqualTo(f.dotReference(d, q) - 1e-4);
                }
            }
        }
    }

    /**
     * The alpha cut keeps the smallest set of largest entries holding alpha of the block's L1
     * mass (the entry that crosses alpha included, as the real Seismic keeps it): with the
     * largest kept entries summing to less than alpha without the smallest of them (and its ties), and nothing
     * larger than a kept entry dropped.
     */
    @ParameterizedTest
    @ValueSource(floats = {0.4f, 0.2f, 0.7f})
    void theMassCutKeepsTheSmallestTopSetHoldingAlpha(float alpha) {
        ForwardIndex f = randomCollection(11, 3000, 700, WeightEncoding.F16);
        SeismicIndex idx = SeismicBuilder.build(f, BuildParams.defaults().withNPostings(60).withSummaryAlpha(alpha).withThreads(2));
        int checked = 0;
        for (int b = 0; b < idx.blockCount(); b++) {
            float[] max = new float[idx.dim()];
            for (int d : blockDocs(idx, b)) {
                SparseVector v = f.vector(d);
                for (int i = 0; i < v.size(); i++) {
                    max[v.index(i)] = Math.max(max[v.index(i)], v.value(i));
                }
            }
            float[] s = summary(idx, b);
            double l1 = 0;
            double keptMass = 0;
            float smallestKept = Float.MAX_VALUE;
            float largestDropped = 0f;
            for (int t = 0; t < max.length; t++) {
                l1 += max[t];
                if (s[t] > 0f) {
                    keptMass += max[t];
                    smallestKept = Math.min(smallestKept, max[t]);
                } else {
                    largestDropped = Math.max(largestDropped, max[t]);
                }
            }
            assertThat(keptMass).as("block %d", b).isGreaterThanOrEqualTo(alpha * l1 * (1 - 1e-6));
            // Entries tied with the smallest kept weight are kept together (the cut is a weight).
            double tied = 0;
            for (int t = 0; t < max.length; t++) {
                if (s[t] > 0f && max[t] == smallestKept) {
                    tied += max[t];
                }
            }
            assertThat(keptMass - tied).as("block %d", b).isLessThan(alpha * l1);
            assertThat(largestDropped).as("block %d", b).isLessThanOrEqualTo(smallestKept);
            checked++;
        }
        assertThat(checked).isGreaterThan(500);
    }
}
