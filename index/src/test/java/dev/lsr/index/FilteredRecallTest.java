package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.io.RealisticCollection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seismic search under a filter on realistic vectors (real SPLADE++ weights, from ../shared): a
 * filter passing a fraction of the documents makes the top-10 the passing documents' top-10, which
 * lie deeper in the statically pruned lists than the unfiltered top-10. Here Seismic runs under
 * every filter (no exact fallback, although with the defaults these 2,000 and 5,000 passing
 * documents would be scored exactly), on two segments of 10,000 whose lists keep 10 postings per
 * term: recall at 20% passing fell from 0.8795 unfiltered to 0.7530 before the search widened
 * under filters; now it stays within 0.05 of the unfiltered recall. (On realistic:200000, where
 * the widening was measured, it reaches the unfiltered recall: index/README.md.)
 */
class FilteredRecallTest {

    static final int DOCS = 20_000;
    static final int SEGMENT_DOCS = 10_000;

    @TempDir
    Path tmp;

    @Test
    void searchUnderAFilterKeepsTheUnfilteredRecallOnRealisticVectors() {
        Path shared = RealisticCollection.sharedFile();
        Assumptions.assumeTrue(Files.isRegularFile(shared), "skipped: " + shared + " (the shared SPLADE++ queries) is absent");
        RealisticCollection data = TestVectors.realistic(DOCS);
        // No recall target: the lists keep the per-document share (10 per term) this test is about;
        // the search setting it was measured at (10 / 0.8, the default until 2026-12-05 noon) pinned,
        // so a later default does not move both sides of the comparison.
        CollectionSettings s = CollectionSettings.defaults().withDim(data.dim()).withRefreshIntervalMs(0)
                .withSearch(new dev.lsr.index.settings.SearchSettings(10, 0.8, true))
                .withSeismic(dev.lsr.index.settings.SeismicSettings.defaults().withRecallTarget(0))
                .withFilterExact(0, 0.0).withWriter(new WriterSettings(null, SEGMENT_DOCS, false));
        try (Collection c = Collection.create(tmp.resolve("c"), s)) {
            for (int from = 0; from < DOCS; from += 1000) {
                List<Document> batch = new ArrayList<>();
                for (int i = from; i < from + 1000; i++) {
                    // bucket: a permutation of 0..999 over every 1,000 documents, independent of the vectors.
                    batch.add(new Document("d" + i, null, null, Map.of("bucket", (i * 7919) % 1000), data.document(i)));
                }
                c.upsert(batch);
            }
            c.refresh();
            c.awaitBuilds();
            assertThat(c.stats().seismicSegments()).isEqualTo(DOCS / SEGMENT_DOCS);
            List<SparseVector> queries = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                queries.add(data.query(i));
            }
            double unfiltered = recall(c, queries, null);
            for (int passing : new int[] {200, 500}) {
                Filter f = Filter.parse("{\"range\": {\"bucket\": {\"lt\": " + passing + "}}}");
                double filtered = recall(c, queries, f);
                System.out.printf("realistic:%d, Seismic under every filter: recall@10 unfiltered %.4f, %.0f%% passing %.4f%n",
                        DOCS, unfiltered, passing / 10.0, filtered);
                // Before the search widened under filters: 0.8795 unfiltered, 0.7530 at 20% passing.
                assertThat(filtered).as("recall at %d of 1000 passing", passing).isGreaterThanOrEqualTo(unfiltered - 0.05);
            }
        }
    }

    private static double recall(Collection c, List<SparseVector> queries, Filter f) {
        double sum = 0;
        for (SparseVector q : queries) {
            Set<String> truth = new HashSet<>(CollectionTest.ids(c.search(SearchRequest.exact(q, 10).withFilter(f))));
            List<String> got = CollectionTest.ids(c.search(SearchRequest.sparse(q, 10).withFilter(f)));
            sum += truth.isEmpty() ? 1 : got.stream().filter(truth::contains).count() / (double) truth.size();
        }
        return sum / queries.size();
    }
}
