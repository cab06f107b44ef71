package dev.lsr.seismic.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import org.junit.jupiter.api.Test;

/**
 * Global pruning spends the budget on the largest weights of the collection and caps lists
 * afterwards, as the real Seismic does: a list the caps cut gives nothing to the others.
 */
class StaticPruningTest {
    private static final int B = StaticPruning.PBINS;

    @Test
    void theBudgetGoesToTheLargestWeightsAndCapsAreNotRedistributed() {
        int dim = 4;
        int[] hist = new int[dim * B];
        hist[0 * B + 60] = 5_000;      // list 0: many heavy postings, capped
        hist[1 * B + 60] = 100;        // list 1: few heavy postings, kept whole
        hist[2 * B + 40] = 2_000;      // list 2: the boundary bin, shared
        hist[3 * B + 40] = 2_000;      // list 3: the same
        hist[3 * B + 10] = 9_000;      // list 3: light postings, below the cut
        BuildParams p = BuildParams.defaults().withNPostings(1_000).withMaxFraction(1.5f);
        int[] keep = new int[dim];
        int[] thr = new int[dim];
        StaticPruning.chooseKeep(p, dim, hist, keep, thr);
        // Budget 4,000: 5,100 postings in bin 60 already exceed it, so bin 60 is the cut bin and
        // is shared in proportion (4,000 / 5,100, rounded down); list 0 is then capped at 1,500.
        assertThat(keep[0]).isEqualTo(1_500);
        assertThat(keep[1]).isEqualTo((int) Math.floor(100 * 4_000 / 5_100.0));
        assertThat(keep[2]).isZero();
        assertThat(keep[3]).isZero();
        assertThat(thr[2]).isEqualTo(B);
        assertThat(thr[0]).isEqualTo(60);

        // A larger budget reaches into bin 40 and shares it; the light bin 10 stays out.
        StaticPruning.chooseKeep(p.withNPostings(2_000).withMaxFraction(5f), dim, hist, keep, thr);
        // Budget 8,000: bin 60 holds 5,100, bin 40 holds 4,000 of which 2,900 are kept.
        assertThat(keep[0]).isEqualTo(5_000);
        assertThat(keep[1]).isEqualTo(100);
        assertThat(keep[2]).isEqualTo(1_450);
        assertThat(keep[3]).isEqualTo(1_450);
        assertThat(thr[3]).isEqualTo(40);
        assertThat(keep[0] + keep[1] + keep[2] + keep[3]).isEqualTo(8_000);
    }

    @Test
    void fixedPruningKeepsTheTopOfEveryList() {
        int dim = 2;
        int[] hist = new int[dim * B];
        hist[5] = 700;
        hist[B + 30] = 20;
        int[] keep = new int[dim];
        int[] thr = new int[dim];
        StaticPruning.chooseKeep(BuildParams.defaults().withPruning(BuildParams.Pruning.FIXED).withNPostings(50), dim, hist, keep, thr);
        assertThat(keep).containsExactly(50, 20);
    }

    @Test
    void aBuiltIndexKeepsNoMoreThanTheBudgetAndCapsEveryList() {
        ForwardIndex f = SummaryBoundTest.randomCollection(7, 4000, 500, WeightEncoding.F16);
        BuildParams p = BuildParams.defaults().withNPostings(40).withThreads(2);
        SeismicIndex idx = SeismicBuilder.build(f, p);
        long total = idx.postings().byteSize() / 4;
        long nnz = 0;
        for (int d = 0; d < f.size(); d++) {
            nnz += f.vector(d).size();
        }
        assertThat(nnz).isGreaterThan(40L * 500);
        // Popular low ids hold most postings and hit the cap of 60; what the caps cut is not
        // refilled from other lists (refilling kept the whole budget of 20,000).
        assertThat(total).isLessThan(40L * 500 * 9 / 10).isGreaterThan(40L * 500 / 3);
        for (int t = 0; t < idx.dim(); t++) {
            int b0 = idx.listBlocks().get(dev.lsr.seismic.forward.Layouts.I32, t * 4L);
            int b1 = idx.listBlocks().get(dev.lsr.seismic.forward.Layouts.I32, (t + 1L) * 4);
            int p0 = idx.blockPostings().get(dev.lsr.seismic.forward.Layouts.I32, b0 * 4L);
            int p1 = idx.blockPostings().get(dev.lsr.seismic.forward.Layouts.I32, b1 * 4L);
            assertThat(p1 - p0).as("list %d", t).isLessThanOrEqualTo(60);
        }
    }
}
