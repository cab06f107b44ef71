package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseSegment;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SeismicSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.io.RealisticCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-segment posting budget with the default recall target (0.95), on realistic vectors (real
 * SPLADE++ weights, from ../shared) in one Seismic segment each (above the default
 * {@code exact_segment_max_docs} of 5,000), measured on 200 held-out queries against the
 * collection's exact search. The per-document share alone ({@code recall_target 0}) starves small
 * segments; the self-check raises the budget until the segment's own pseudo-queries reach the
 * target, yet keeps the lists pruned.
 */
class SegmentBudgetRecallTest {

    @TempDir
    Path tmp;

    /**
     * 7,000 documents: the share gives about 7 postings per term (at most 10 per list), recall@10
     * about 0.77 at the default search; the self-check builds with four times that.
     */
    @Test
    void aSmallSegmentGetsTheBudgetItNeedsForTheTarget() throws IOException {
        Measured share = measure(7000, 0.0);
        Measured checked = measure(7000, SeismicSettings.DEFAULT_RECALL_TARGET);
        System.out.printf("realistic:7000, one segment: per-document share recall@10 %.4f (%d of %d postings kept);"
                + " self-checked %.4f (%d kept, query_cut %d, heap_factor %.2f)%n", share.recall, share.kept, share.entries,
                checked.recall, checked.kept, checked.queryCut, checked.heapFactor);
        assertThat(share.recall).as("the share alone (the budget before the self-check)").isLessThan(0.9);
        assertThat(checked.recall).as("held-out recall@10 with the self-checked budget").isGreaterThanOrEqualTo(0.95);
        assertThat(checked.kept).as("budget raised").isGreaterThan(share.kept);
        assertThat(checked.kept).as("lists still pruned").isLessThan(checked.entries / 2);
        assertThat(checked.queryCut).as("the segment keeps the search setting it measured").isPositive();
    }

    /**
     * 20,000 documents: large enough that the self-check must not fall back to whole lists. The
     * budget it settles on keeps under a third of the postings and still reaches the target.
     */
    @Test
    void aLargerSegmentStaysPrunedAndReachesTheTarget() throws IOException {
        Measured checked = measure(20_000, SeismicSettings.DEFAULT_RECALL_TARGET);
        System.out.printf("realistic:20000, one segment, self-checked: recall@10 %.4f, %d of %d postings kept (%.3f)%n",
                checked.recall, checked.kept, checked.entries, checked.kept / (double) checked.entries);
        assertThat(checked.recall).isGreaterThanOrEqualTo(0.95);
        assertThat(checked.kept).isLessThan(checked.entries / 3);
    }

    private record Measured(double recall, long kept, long entries, int queryCut, float heapFactor) {}

    private Measured measure(int docs, double recallTarget) throws IOException {
        Path shared = RealisticCollection.sharedFile();
        Assumptions.assumeTrue(Files.isRegularFile(shared), "skipped: " + shared + " (the shared SPLADE++ queries) is absent");
        RealisticCollection data = TestVectors.realistic(docs);
        CollectionSettings s = CollectionSettings.defaults().withDim(data.dim()).withRefreshIntervalMs(0)
                .withSeismic(SeismicSettings.defaults().withRecallTarget(recallTarget))
                .withWriter(new WriterSettings(null, docs + 1, false));
        try (Collection c = Collection.create(tmp.resolve("realistic-" + docs + "-" + recallTarget), s)) {
            long entries = 0;
            for (int from = 0; from < docs; from += 1000) {
                List<Document> batch = new ArrayList<>();
                for (int i = from; i < Math.min(docs, from + 1000); i++) {
                    SparseVector v = data.document(i);
                    entries += v.size();
                    batch.add(new Document("d" + i, null, null, null, v));
                }
                c.upsert(batch);
            }
            c.awaitBuilds();
            c.commit();
            assertThat(c.stats().segments()).isEqualTo(1);
            assertThat(c.stats().seismicSegments()).isEqualTo(1);
            long kept = 0;
            int queryCut = 0;
            float heapFactor = 0;
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(c.directory().resolve("index")))) {
                for (LeafReaderContext leaf : r.leaves()) {
                    SparseSegment seg = ((SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR)).segment();
                    kept += seg.seismic().postingCount();
                    queryCut = seg.tunedQueryCut();
                    heapFactor = seg.tunedHeapFactor();
                }
            }
            List<SparseVector> queries = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                queries.add(data.query(i));
            }
            double recall = ApproximateRecallTest.recallOf(c, queries, q -> SearchRequest.sparse(q, 10));
            return new Measured(recall, kept, entries, queryCut, heapFactor);
        }
    }
}
