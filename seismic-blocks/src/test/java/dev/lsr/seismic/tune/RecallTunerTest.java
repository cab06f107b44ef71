package dev.lsr.seismic.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.TestData;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.GeneratedCollection;
import dev.lsr.seismic.io.RealisticCollection;
import dev.lsr.seismic.io.SyntheticCollection;
import dev.lsr.seismic.search.ExactSearcher;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The tuner reaches its recall target on queries it never saw (held-out queries of the same
 * source), on an index whose lists are really pruned, with blocks really skipped.
 */
class RecallTunerTest {

    static ForwardIndex forward(GeneratedCollection c, int n) {
        List<SparseVector> docs = IntStream.range(0, n).parallel().mapToObj(c::document).toList();
        return ForwardIndex.of(docs, c.dim(), WeightEncoding.F16);
    }

    static List<SparseVector> queries(GeneratedCollection c, int n) {
        List<SparseVector> q = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            q.add(c.query(i));
        }
        return q;
    }

    /** Recall@k of {@code sp} against exact search, and mean documents scored per query. */
    static double[] recall(TunedIndex t, List<SparseVector> qs, int k) {
        SeismicSearcher s = t.index().newSearcher();
        ExactSearcher ex = t.index().newExactSearcher();
        int[] a = new int[k];
        float[] as = new float[k];
        int[] b = new int[k];
        float[] bs = new float[k];
        long hits = 0;
        long total = 0;
        long d0 = s.docsScored();
        for (SparseVector q : qs) {
            int na = s.search(q, t.search(), null, a, as);
            int nb = ex.search(q, SearchParams.exhaustive(k), null, b, bs);
            for (int i = 0; i < nb; i++) {
                for (int j = 0; j < na; j++) {
                    if (a[j] == b[i]) {
                        hits++;
                        break;
                    }
                }
            }
            total += nb;
        }
        return new double[] {hits / (double) total, (s.docsScored() - d0) / (double) qs.size()};
    }

    /** Longest list of the collection, as a multiple of the build's mean posting budget. */
    static double longestListOverBudget(ForwardIndex f, BuildParams bp) {
        int[] df = new int[f.dim()];
        for (int d = 0; d < f.size(); d++) {
            for (int i = 0; i < f.length(d); i++) {
                df[f.termAt(d, i)]++;
            }
        }
        return IntStream.of(df).max().orElse(0) / (double) bp.nPostings();
    }

    void reachesTargetOnHeldOutQueries(GeneratedCollection c, int n, double target) {
        ForwardIndex f = forward(c, n);
        // A budget of a third of the postings, so static pruning really prunes.
        int budget = (int) Math.max(1, f.nnz() / f.dim() / 3);
        BuildParams start = BuildParams.forCollection(f.size(), f.nnz(), f.dim()).withNPostings(budget).withThreads(2);
        TunedIndex t = RecallTuner.tune(f, start, TuneOptions.forTarget(target).withPseudoQueries(200), dev.lsr.seismic.build.BuildProgress.NONE);
        assertThat(longestListOverBudget(f, t.build())).as("lists must be pruned").isGreaterThan(5);
        assertThat(t.index().postingCount()).isLessThan(f.nnz() / 2);
        System.out.printf("tuner on %s: %s, build %s, chose %s%n", c.getClass().getSimpleName(), t.search(), t.build(), t.chosen());
        assertThat(t.reached()).as("tuner reached %s on its pseudo-queries: %s", target, t.chosen()).isTrue();
        double[] r = recall(t, queries(c, 300), 10);
        assertThat(r[0]).as("recall on held-out queries with %s", t.search()).isGreaterThanOrEqualTo(target);
        // Blocks are skipped: far fewer documents scored than the collection holds.
        assertThat(r[1]).as("documents scored per query").isLessThan(0.15 * n);
    }

    @Test
    void syntheticReachesTarget() {
        reachesTargetOnHeldOutQueries(new SyntheticCollection(30_000, 11), 30_000, 0.9);
    }

    @Test
    void realisticReachesTarget() {
        Assumptions.assumeTrue(Files.isRegularFile(RealisticCollection.sharedFile()),
                "shared SPLADE++ vectors absent: " + RealisticCollection.sharedFile());
        reachesTargetOnHeldOutQueries(RealisticCollection.parse("realistic:30000:5"), 30_000, 0.9);
    }

    @Test
    void pseudoQueriesExcludeTheirSourceDocument() {
        SyntheticCollection c = new SyntheticCollection(2_000, 3);
        ForwardIndex f = TestData.forward(c, 2_000, WeightEncoding.F16);
        RecallTuner.Queries qs = RecallTuner.pseudo(f, TuneOptions.defaults().withPseudoQueries(50));
        int[][] truth = RecallTuner.exactTruth(f, qs, 10, 2);
        for (int i = 0; i < qs.vectors().length; i++) {
            assertThat(truth[i]).doesNotContain(qs.source()[i]).hasSize(10);
            assertThat(qs.vectors()[i].size()).isBetween(RecallTuner.MIN_PSEUDO_TERMS, RecallTuner.MAX_PSEUDO_TERMS);
        }
    }

    /**
     * A starved build (2 postings per term: no setting reaches 0.9) is rebuilt with
     * {@code budgetGrowth} times the postings, and a chosen setting never visits more lists than
     * {@code maxQueryCut}.
     */
    @Test
    void budgetGrowthAndMaxQueryCutBoundTheTuning() {
        SyntheticCollection c = new SyntheticCollection(5_000, 13);
        ForwardIndex f = TestData.forward(c, 5_000, WeightEncoding.F16);
        BuildParams start = BuildParams.defaults().withNPostings(2).withThreads(2);
        TuneOptions o = TuneOptions.forTarget(0.9).withPseudoQueries(100).withBudgetGrowth(4).withMaxQueryCut(6);
        TunedIndex t = RecallTuner.tune(f, start, o, dev.lsr.seismic.build.BuildProgress.NONE);
        assertThat(t.builds()).as("the 2-posting build must miss the target").isGreaterThan(1);
        assertThat(t.build().nPostings()).isEqualTo(2 * (int) Math.pow(4, t.builds() - 1));
        assertThat(t.measured()).allSatisfy(p -> assertThat(p.queryCut()).isLessThanOrEqualTo(6));
        assertThat(RecallTuner.denser(start, 4).nPostings()).isEqualTo(8);
        assertThat(RecallTuner.denser(start).nPostings()).isEqualTo(4);
    }
}
