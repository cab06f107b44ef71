package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SeismicSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot of a collection whose segments take the approximate Seismic path (6,000 documents
 * each, above the default {@code exactSegmentMaxDocs} of 5,000, posting lists pruned to well under
 * half) taken while a writer keeps adding, flushing and committing, restored into a new
 * collection: 1,000 queries, approximate and exact, get the same hits and scores as the source
 * gave before the snapshot.
 *
 * <p>The writer's documents use other terms (2000-3999) than the base documents and the queries
 * (0-1999), so they never enter the queries' answers; merges are off because a merge rebuilds a
 * segment's Seismic structure, a different approximation: with them, the source's approximate
 * answers would move while the test runs although none of its matching documents changed.
 */
class CollectionSnapshotsTest {

    static final int BASE = 12_000;
    static final int SEGMENT = 6_000;
    static final int DIM = 4_000;
    static final int QUERIES = 1_000;

    @TempDir
    Path tmp;

    /** Refreshes are explicit (the writer refreshes every other batch): a timed one would cut the base segments. */
    static CollectionSettings settings() {
        return CollectionSettings.defaults().withDim(DIM).withRefreshIntervalMs(0)
                // Hand-set (no recall target): the approximation must stay visibly in play.
                .withSeismic(new SeismicSettings(null, 40, null, null, null, null, null, null, null, 1, null, null, BASE)
                        .withRecallTarget(0))
                .withWriter(new WriterSettings(null, SEGMENT, false));
    }

    static Document writerDoc(int i) {
        int[] ids = {2000 + i % 2000, 2000 + (i * 7 + 1) % 2000, 2000 + (i * 13 + 5) % 2000};
        java.util.Arrays.sort(ids);
        if (ids[0] == ids[1] || ids[1] == ids[2]) {
            ids = new int[] {2000 + i % 2000};
        }
        float[] ws = new float[ids.length];
        java.util.Arrays.fill(ws, 1.0f + i % 3);
        return new Document("w" + i, null, "written " + i, Map.of("writer", true), SparseVector.of(ids, ws, DIM));
    }

    @Test
    void seismicSegmentsSnapshotUnderWritesRestoresToIdenticalAnswers() throws Exception {
        List<Document> base = TestVectors.documents(11, 0, BASE);
        List<SparseVector> queries = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(23);
        for (int i = 0; i < QUERIES; i++) {
            queries.add(TestVectors.random(rnd, 12));
        }
        try (Collections cs = Collections.open(tmp.resolve("data"))) {
            Collection src = cs.create("src", settings());
            for (int i = 0; i < BASE; i += SEGMENT) {
                src.upsert(base.subList(i, i + SEGMENT));
                src.refresh();
            }
            src.awaitBuilds();
            src.commit();
            CollectionStats stats = src.stats();
            assertThat(stats.seismicSegments()).as("segments above exactSegmentMaxDocs").isEqualTo(2);
            assertThat(settings().exactSegmentMaxDocs()).isLessThan(SEGMENT);
            assertThat(postings(src)).as("postings kept of all").isLessThan(BASE * 30L / 2);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int n = 0; !stop.get(); n++) {
                        List<Document> batch = new ArrayList<>();
                        for (int j = 0; j < 50; j++) {
                            batch.add(writerDoc(n * 50 + j));
                        }
                        src.upsert(batch);
                        written.addAndGet(50);
                        if (n % 2 == 1) {
                            src.refresh();
                        }
                        if (n % 10 == 9) {
                            src.commit();
                        }
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "snapshot-writer");
            writer.start();
            while (written.get() < 500) {
                Thread.sleep(5);
            }
            List<List<Hit>> before = answers(src, queries);
            int writtenBefore = written.get();
            CollectionSnapshots.Manifest m = cs.snapshot("src");
            int writtenAtSnapshot = written.get();
            while (written.get() < writtenAtSnapshot + 500 && failed.get() == null) {
                Thread.sleep(5);
            }
            stop.set(true);
            writer.join(60_000);
            assertThat(failed.get()).isNull();
            src.refresh();
            assertThat(answers(src, queries)).as("the source's answers did not move under the writes").isEqualTo(before);

            assertThat(cs.snapshots("src")).extracting(CollectionSnapshots.Manifest::id).containsExactly(m.id());
            assertThat(m.files()).extracting(CollectionSnapshots.FileSum::path).contains("collection.json").anyMatch(p -> p.startsWith("index/segments_"));
            Collection restored = cs.restore("src", m.id(), "restored");
            assertThat(restored.stats().seismicSegments()).isEqualTo(2);
            List<List<Hit>> after = answers(restored, queries);
            assertThat(after).as("restored answers vs the source's before the snapshot").isEqualTo(before);

            int differ = 0;
            for (int q = 0; q < QUERIES; q++) {
                differ += ids(before.get(2 * q)).equals(ids(before.get(2 * q + 1))) ? 0 : 1;
            }
            assertThat(differ).as("queries whose approximate top 10 differs from the exact one").isPositive();
            // Every write acknowledged before the snapshot began is in it (the snapshot commits first).
            for (int i = 0; i < writtenBefore; i++) {
                assertThat(restored.get("w" + i)).as("w" + i).isPresent();
            }
            int docs = restored.stats().docs();
            assertThat(docs).isBetween(BASE + writtenBefore, BASE + written.get());
            System.out.printf("CollectionSnapshotsTest: snapshot taken after %d written documents (%d at the end), restored %d documents "
                    + "in %d segments (%d Seismic), %d queries x {approximate, exact} identical (%d approximate != exact)%n",
                    writtenAtSnapshot, written.get(), docs, restored.stats().segments(), restored.stats().seismicSegments(),
                    QUERIES, differ);

            // Onto an existing name, or a damaged copy: refused, nothing staged left behind.
            assertThatThrownBy(() -> cs.restore("src", m.id(), "restored")).isInstanceOf(CollectionExistsException.class);
            assertThatThrownBy(() -> cs.restore("src", "20260101T000000000Z-00000000", "x"))
                    .isInstanceOf(SnapshotNotFoundException.class);
            assertThatThrownBy(() -> cs.restore("src", "../src", "x")).isInstanceOf(SnapshotNotFoundException.class);
            Path manifest = tmp.resolve("data/.snapshots/src").resolve(m.id()).resolve(CollectionSnapshots.MANIFEST);
            Files.writeString(manifest, Files.readString(manifest).replace("\"files\"", "\"files\":[],\"x\""));
            assertThatThrownBy(() -> cs.restore("src", m.id(), "x")).isInstanceOf(DamagedSnapshotException.class)
                    .hasMessageContaining(CollectionSnapshots.MANIFEST);
            assertThat(cs.exists("x")).isFalse();
            try (Stream<Path> left = Files.list(tmp.resolve("data"))) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("src", "restored", ".snapshots");
            }
        }
    }

    /** For each query: the approximate hits, then the exact hits. */
    private static List<List<Hit>> answers(Collection c, List<SparseVector> queries) {
        List<List<Hit>> out = new ArrayList<>();
        for (SparseVector q : queries) {
            out.add(c.search(SearchRequest.sparse(q, 10)).hits());
            out.add(c.search(SearchRequest.exact(q, 10)).hits());
        }
        return out;
    }

    private static List<String> ids(List<Hit> hits) {
        return hits.stream().map(Hit::id).toList();
    }

    private static long postings(Collection c) throws IOException {
        try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(c.directory().resolve("index")))) {
            long kept = 0;
            for (LeafReaderContext leaf : r.leaves()) {
                SparseBinaryDocValues v = (SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR);
                if (v.segment().seismic() != null) {
                    kept += v.segment().seismic().postingCount();
                }
            }
            return kept;
        }
    }
}
