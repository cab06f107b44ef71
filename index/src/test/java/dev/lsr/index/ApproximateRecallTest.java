package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approximate search (a Seismic structure in every segment) over a collection spread across many
 * segments keeps recall@10 vs exact above a floor, before and after merging, with and without a
 * filter that lets half of the documents through.
 */
class ApproximateRecallTest {

    static final double FLOOR = 0.9;

    @TempDir
    Path tmp;

    @Test
    void recallStaysAboveFloorAcrossManySegmentsAndAfterMerge() {
        CollectionSettings s = CollectionSettings.defaults().withDim(TestVectors.DIM).withRefreshIntervalMs(0)
                .withExactSegmentMaxDocs(100).withFilterExact(0, 0.0)
                // nPostings for every segment whatever its size: this test's lists are not pruned.
                .withSeismic(dev.lsr.index.settings.SeismicSettings.defaults().withNPostingsDocs(0))
                .withWriter(new WriterSettings(null, 500, false));
        try (Collection c = Collection.create(tmp.resolve("c"), s)) {
            c.upsert(TestVectors.documents(21, 0, 4000));
            c.refresh();
            c.awaitBuilds();
            CollectionStats stats = c.stats();
            assertThat(stats.segments()).isGreaterThanOrEqualTo(8);
            assertThat(stats.seismicSegments()).isEqualTo(stats.segments());
            SplittableRandom rnd = new SplittableRandom(99);
            List<SparseVector> queries = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                queries.add(TestVectors.random(rnd, 12));
            }
            Filter even = Filter.term("even", true);
            double manySegments = recall(c, queries, null);
            double filtered = recall(c, queries, even);
            c.forceMerge(1);
            assertThat(c.stats().seismicSegments()).isEqualTo(1);
            double merged = recall(c, queries, null);
            System.out.printf("recall@10: many segments %.3f, filtered %.3f, merged %.3f%n", manySegments, filtered, merged);
            assertThat(manySegments).isGreaterThanOrEqualTo(FLOOR);
            assertThat(filtered).isGreaterThanOrEqualTo(FLOOR);
            assertThat(merged).isGreaterThanOrEqualTo(FLOOR);
        }
    }

    static double recall(Collection c, List<SparseVector> queries, Filter filter) {
        return recallOf(c, queries, q -> SearchRequest.sparse(q, 10).withFilter(filter));
    }

    /** Mean recall@10 of {@code approximate(q)} against the collection's exact search under the same filter. */
    static double recallOf(Collection c, List<SparseVector> queries, Function<SparseVector, SearchRequest> approximate) {
        double sum = 0;
        for (SparseVector q : queries) {
            SearchRequest request = approximate.apply(q);
            SearchRequest exact = SearchRequest.exact(q, request.k()).withFilter(request.filter());
            Set<String> truth = new HashSet<>(CollectionTest.ids(c.search(exact)));
            List<Hit> approx = c.search(request).hits();
            for (Hit h : approx) {
                assertThat(h.score()).as("approximate scores are true dot products")
                        .isEqualTo(c.get(h.id()).orElseThrow().vector().dot(q));
            }
            sum += (double) approx.stream().filter(h -> truth.contains(h.id())).count() / Math.max(1, truth.size());
        }
        return sum / queries.size();
    }
}
