package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.codec.SeismicBlobs;
import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseSegment;
import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.search.SparseSearchOptions;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SeismicSettings;
import dev.lsr.index.settings.SettingsJson;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collection setting {@code seismic.recall_target}: every Seismic segment is built by the
 * recall tuner and keeps the search setting it measured, which searches naming no setting use.
 */
class RecallTargetCollectionTest {

    @TempDir
    Path tmp;

    @Test
    void segmentsAreTunedAndReachTheTargetOnQueriesTheTunerNeverSaw() throws IOException {
        CollectionSettings s = SeismicPathTest.pruned()
                .withSeismic(SeismicSettings.defaults().withRecallTarget(0.9).withNPostingsDocs(0));
        assertThat(SettingsJson.parse(SettingsJson.toJson(s)).seismic().recallTarget()).isEqualTo(0.9);
        assertThat(SettingsJson.parse("{\"seismic\": {\"recallTarget\": 0.9}}").seismic().recallTarget()).isEqualTo(0.9);
        try (Collection c = SeismicPathTest.load(tmp.resolve("c"), s, null)) {
            c.commit();
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(c.directory().resolve("index")))) {
                for (LeafReaderContext leaf : r.leaves()) {
                    SparseSegment seg = ((SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR)).segment();
                    assertThat(seg.tunedQueryCut()).as("segment %s tuned", leaf.ord).isPositive();
                    assertThat(seg.tunedHeapFactor()).isPositive();
                }
            }
            List<SparseVector> queries = SeismicPathTest.queries(11, 200);
            double tuned = ApproximateRecallTest.recallOf(c, queries, q -> SearchRequest.sparse(q, 10));
            // An explicit setting overrides the tuned one: one list, no block below the k-th.
            double poor = ApproximateRecallTest.recallOf(c, queries,
                    q -> SearchRequest.sparse(q, 10).withQueryCut(1).withHeapFactor(1.0));
            System.out.printf("recall_target 0.9: held-out recall@10 %.4f with the tuned settings, %.4f at query_cut 1 / heap_factor 1.0%n",
                    tuned, poor);
            assertThat(tuned).isGreaterThanOrEqualTo(0.9);
            assertThat(poor).isLessThan(tuned - 0.1);
        }
    }

    /**
     * Each flushed segment is checked at twice its share of the collection's top-10, measured on
     * the writer's document count at its flush (6 flushes of 1,000: 10, 10, 7, 5, 4, 4), and the
     * collection of those segments still reaches the target on held-out queries.
     */
    @Test
    void laterSegmentsAreCheckedAtTheirShareOfTheTopKAndTheCollectionStillReachesTheTarget() throws IOException {
        // Built at flush, so each segment's share is the one at its flush (a background build sees
        // the collection as it is when the build runs).
        CollectionSettings base = SeismicPathTest.pruned();
        CollectionSettings s = base
                .withSeismic(SeismicSettings.defaults().withRecallTarget(0.9).withNPostingsDocs(0))
                .withWriter(base.writer().withBuildAtFlush(true));
        try (Collection c = SeismicPathTest.load(tmp.resolve("c"), s, null)) {
            c.commit();
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(c.directory().resolve("index")))) {
                int[] depths = new int[r.leaves().size()];
                for (LeafReaderContext leaf : r.leaves()) {
                    SparseSegment seg = ((SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR)).segment();
                    assertThat(seg.tunedQueryCut()).as("segment %s tuned", leaf.ord).isPositive();
                    depths[leaf.ord] = seg.tunedDepth();
                }
                assertThat(depths).containsExactly(10, 10, 7, 5, 4, 4);
            }
            double recall = ApproximateRecallTest.recallOf(c, SeismicPathTest.queries(11, 200), q -> SearchRequest.sparse(q, 10));
            System.out.printf("recall_target 0.9, segments checked at their share: held-out recall@10 %.4f%n", recall);
            assertThat(recall).isGreaterThanOrEqualTo(0.9);
            // The segments' work counters (what the benchmark probes read) count the searches above.
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(c.directory().resolve("index")))) {
                long blocks = 0;
                long docs = 0;
                for (LeafReaderContext leaf : r.leaves()) {
                    SparseSegment seg = ((SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR)).segment();
                    assertThat(seg.seismic().work().blocksScored()).isZero();
                    assertThat(seg.seismic().describe()).contains("blocks=");
                }
                new SparseQuery(Fields.VECTOR, SeismicPathTest.queries(12, 1).get(0), TestVectors.DIM, 10, null,
                        new SparseSearchOptions(false, 10, 0.7, false, 0, 0.0)).topDocs(new IndexSearcher(r));
                for (LeafReaderContext leaf : r.leaves()) {
                    SeismicBlobs.SearchWork w = ((SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR))
                            .segment().seismic().work();
                    blocks += w.blocksScored();
                    docs += w.docsScored();
                }
                assertThat(blocks).isPositive();
                assertThat(docs).isPositive();
            }
        }
    }
    /**
     * Background builds held back until every flush is done (what a bulk load on a busy machine
     * gives): each segment is still checked at the depth of its own flush, recorded on the pending
     * segment, not at the final collection's (which would be 4 for all six), so the built segments
     * equal the ones built at flush, whenever their builds run.
     */
    @Test
    void backgroundBuildsCheckAtTheDepthOfTheirFlushWhenEverTheyRun() throws IOException {
        CollectionSettings base = SeismicPathTest.pruned();
        CollectionSettings s = base.withSeismic(SeismicSettings.defaults().withRecallTarget(0.9).withNPostingsDocs(0));
        assertThat(s.writer().buildAtFlush()).isFalse();
        BlockedBuilds blocked = new BlockedBuilds();
        Path copy = tmp.resolve("copy");
        try (Collection c = BackgroundBuildTest.loadPending(tmp.resolve("bg"), s, blocked)) {
            assertThat(c.stats().pendingSegments()).as("no build ran during the load").isEqualTo(6);
            c.commit();
            BackgroundBuildTest.copyAsAStopLeavesIt(c.directory(), copy);
            blocked.release();
            c.awaitBuilds();
            c.commit();
            assertThat(depths(c)).containsExactly(10, 10, 7, 5, 4, 4);
        }
        // Pending in the last commit (the process stopped before its builds): the builds scheduled
        // on open read the depths from the segments too.
        try (Collection c = Collection.open(copy)) {
            c.awaitBuilds();
            c.commit();
            assertThat(depths(c)).containsExactly(10, 10, 7, 5, 4, 4);
        }
    }

    private static int[] depths(Collection c) throws IOException {
        try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(c.directory().resolve("index")))) {
            int[] depths = new int[r.leaves().size()];
            for (LeafReaderContext leaf : r.leaves()) {
                SparseSegment seg = ((SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR)).segment();
                depths[leaf.ord] = seg.tunedDepth();
            }
            return depths;
        }
    }
}
