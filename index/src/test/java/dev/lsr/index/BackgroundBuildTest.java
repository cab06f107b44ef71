package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments flushed without their Seismic structure (the default, {@code writer.build_at_flush}
 * false) and built afterwards by a singleton merge on Lucene's merge thread: searchable and exact
 * while pending, the same structure and hits as a build at flush once built, deletions made in
 * between never returning, searches during the builds correct, and a copy taken mid-build (what a
 * process that stops then leaves) valid with its builds scheduled again on open. Every segment is
 * above {@code exactSegmentMaxDocs} with lists really pruned ({@link SeismicPathTest#pruned}).
 */
class BackgroundBuildTest {

    static final int DOCS = SeismicPathTest.DOCS;
    static final int SEGMENT_DOCS = SeismicPathTest.SEGMENT_DOCS;
    static final List<Document> DATA = SeismicPathTest.DATA;

    @TempDir
    Path tmp;

    /** Flushes the documents in segments of SEGMENT_DOCS, refreshing after each; no build waited for. */
    static Collection loadPending(Path dir, CollectionSettings s) {
        return loadPending(dir, s, UnaryOperator.identity());
    }

    static Collection loadPending(Path dir, CollectionSettings s, UnaryOperator<Directory> wrapper) {
        assertThat(s.writer().buildAtFlush()).isFalse();
        Collection c = Collection.create(dir, s, wrapper);
        for (int i = 0; i < DOCS; i += SEGMENT_DOCS) {
            c.upsert(DATA.subList(i, i + SEGMENT_DOCS));
            c.refresh();
        }
        return c;
    }

    static List<String> bruteForce(SparseVector q, int k, Predicate<Document> keep) {
        return SeismicPathTest.bruteForce(q, k, keep);
    }

    @Test
    void pendingSegmentsAreExactThenBuiltAsAtFlushWithPrunedLists() throws IOException {
        CollectionSettings background = SeismicPathTest.pruned();
        try (Collection c = loadPending(tmp.resolve("bg"), background);
                Collection atFlush = SeismicPathTest.load(tmp.resolve("flush"),
                        background.withWriter(background.writer().withBuildAtFlush(true)), null)) {
            List<SparseVector> queries = SeismicPathTest.queries(11, 40);
            // Whatever the builds have reached, a search now is correct: a pending segment is
            // searched exactly, a built one has the same structure as a build at flush.
            for (SparseVector q : queries) {
                assertThat(CollectionTest.ids(c.search(SearchRequest.exact(q, 10)))).isEqualTo(bruteForce(q, 10, d -> true));
            }
            c.awaitBuilds();
            CollectionStats stats = c.stats();
            assertThat(stats.segments()).isEqualTo(DOCS / SEGMENT_DOCS);
            assertThat(stats.seismicSegments()).isEqualTo(stats.segments());
            assertThat(stats.pendingSegments()).isZero();
            // The background build is the build a flush would have made: same documents in the same
            // order, same settings, so the same hits and scores at the collection's own parameters.
            for (SparseVector q : queries) {
                assertThat(c.search(SearchRequest.sparse(q, 10)).hits())
                        .isEqualTo(atFlush.search(SearchRequest.sparse(q, 10)).hits());
            }
            c.commit();
            long total = DATA.stream().mapToLong(d -> d.vector().size()).sum();
            assertThat(keptPostings(c)).as("lists pruned").isLessThan(total / 2);
        }
    }

    @Test
    void builtSegmentsEqualBruteForceAtExhaustiveParams() {
        try (Collection c = loadPending(tmp.resolve("c"), SeismicPathTest.exhaustive(0.0))) {
            List<SparseVector> queries = SeismicPathTest.queries(12, 40);
            List<List<String>> truth = queries.stream().map(q -> bruteForce(q, 10, d -> true)).toList();
            for (int i = 0; i < queries.size(); i++) {
                assertThat(CollectionTest.ids(c.search(SearchRequest.sparse(queries.get(i), 10)))).isEqualTo(truth.get(i));
            }
            c.awaitBuilds();
            assertThat(c.stats().seismicSegments()).isEqualTo(DOCS / SEGMENT_DOCS);
            for (int i = 0; i < queries.size(); i++) {
                assertThat(CollectionTest.ids(c.search(SearchRequest.sparse(queries.get(i), 10)))).isEqualTo(truth.get(i));
            }
        }
    }

    @Test
    void deletionsBetweenFlushAndBuildNeverReturn() {
        BlockedBuilds blocked = new BlockedBuilds();
        try (Collection c = loadPending(tmp.resolve("c"), SeismicPathTest.exhaustive(0.0), blocked)) {
            Set<String> deleted = new HashSet<>();
            for (int i = 0; i < DOCS; i += 3) {
                c.delete("d" + i);
                deleted.add("d" + i);
            }
            c.deleteByFilter(Filter.term("group", "g7"));
            for (Document d : DATA) {
                if (d.metadata().get("group").equals("g7")) {
                    deleted.add(d.id());
                }
            }
            c.refresh();
            assertThat(c.stats().pendingSegments()).as("builds held back").isEqualTo(DOCS / SEGMENT_DOCS);
            assertThat(c.stats().seismicSegments()).isZero();
            Predicate<Document> alive = d -> !deleted.contains(d.id());
            List<SparseVector> queries = SeismicPathTest.queries(13, 40);
            for (SparseVector q : queries) {
                assertThat(CollectionTest.ids(c.search(SearchRequest.sparse(q, 10)))).isEqualTo(bruteForce(q, 10, alive));
            }
            blocked.release();
            c.awaitBuilds();
            CollectionStats stats = c.stats();
            assertThat(stats.seismicSegments()).isEqualTo(DOCS / SEGMENT_DOCS);
            // Dropped by a build that started after them, or carried over to the built segment by
            // Lucene when the build had started first (these builds were already waiting).
            assertThat(stats.docs()).isEqualTo(DOCS - deleted.size());
            for (SparseVector q : queries) {
                List<String> got = CollectionTest.ids(c.search(SearchRequest.sparse(q, 10)));
                assertThat(got).doesNotContainAnyElementsOf(deleted).isEqualTo(bruteForce(q, 10, alive));
            }
        }
    }

    @Test
    void searchesDuringBackgroundBuildsStayCorrect() throws Exception {
        int segments = DOCS / SEGMENT_DOCS;
        List<SparseVector> queries = SeismicPathTest.queries(14, 30);
        Filter even = Filter.term("even", true);
        // truth[m][i]: query i over the first m segments (what a view holding m segments must answer).
        List<List<List<String>>> truth = new ArrayList<>();
        List<List<List<String>>> evenTruth = new ArrayList<>();
        for (int m = 0; m <= segments; m++) {
            Set<String> visible = new HashSet<>();
            for (Document d : DATA.subList(0, m * SEGMENT_DOCS)) {
                visible.add(d.id());
            }
            truth.add(queries.stream().map(q -> bruteForce(q, 10, d -> visible.contains(d.id()))).toList());
            evenTruth.add(queries.stream().map(q -> bruteForce(q, 10,
                    d -> visible.contains(d.id()) && Boolean.TRUE.equals(d.metadata().get("even")))).toList());
        }
        try (Collection c = Collection.create(tmp.resolve("c"), SeismicPathTest.exhaustive(0.0))) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger sawPending = new AtomicInteger();
            AtomicInteger searched = new AtomicInteger();
            ExecutorService searchers = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> loops = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    loops.add(searchers.submit(() -> {
                        do {
                            for (int i = 0; i < queries.size(); i++) {
                                CollectionStats before = c.stats();
                                if (before.pendingSegments() > 0) {
                                    sawPending.incrementAndGet();
                                }
                                List<String> got = CollectionTest.ids(c.search(SearchRequest.sparse(queries.get(i), 10)));
                                List<String> gotEven = CollectionTest.ids(
                                        c.search(SearchRequest.sparse(queries.get(i), 10).withFilter(even)));
                                int after = c.stats().docs() / SEGMENT_DOCS;
                                // Segments only become visible between the two stats calls, never leave.
                                List<List<String>> allowed = new ArrayList<>();
                                List<List<String>> allowedEven = new ArrayList<>();
                                for (int m = before.docs() / SEGMENT_DOCS; m <= after; m++) {
                                    allowed.add(truth.get(m).get(i));
                                    allowedEven.add(evenTruth.get(m).get(i));
                                }
                                assertThat(allowed).contains(got);
                                assertThat(allowedEven).contains(gotEven);
                                searched.incrementAndGet();
                            }
                        } while (!done.get());
                        return null;
                    }));
                }
                for (int i = 0; i < DOCS; i += SEGMENT_DOCS) {
                    c.upsert(DATA.subList(i, i + SEGMENT_DOCS));
                    c.refresh();
                }
                c.awaitBuilds();
                int atBuilt = searched.get();
                while (searched.get() < atBuilt + 2 * queries.size()) {
                    Thread.sleep(5);
                }
                done.set(true);
                for (Future<?> f : loops) {
                    f.get();
                }
            } finally {
                searchers.shutdownNow();
            }
            assertThat(c.stats().seismicSegments()).isEqualTo(segments);
            System.out.printf("searches during background builds: %d searched, %d with segments pending%n",
                    searched.get(), sawPending.get());
        }
    }

    @Test
    void aCopyTakenMidBuildIsValidAndBuildsAgainWhenOpened() throws Exception {
        Path copy = tmp.resolve("copy");
        BlockedBuilds blocked = new BlockedBuilds();
        try (Collection c = loadPending(tmp.resolve("c"), SeismicPathTest.exhaustive(0.0), blocked)) {
            c.commit();
            assertThat(c.stats().pendingSegments()).isEqualTo(DOCS / SEGMENT_DOCS);
            // The files as a process stopping now leaves them: the commit (pending exact segments)
            // while every build is running (held at its first file).
            copyAsAStopLeavesIt(c.directory(), copy);
            blocked.release();
        }
        try (Directory d = FSDirectory.open(copy.resolve("index")); CheckIndex check = new CheckIndex(d)) {
            assertThat(check.checkIndex().clean).isTrue();
        }
        try (Collection reopened = Collection.open(copy)) {
            assertThat(reopened.stats().docs()).isEqualTo(DOCS);
            assertThat(reopened.stats().seismicSegments()).as("the copy holds the exact segments").isZero();
            List<SparseVector> queries = SeismicPathTest.queries(15, 20);
            for (SparseVector q : queries) {
                assertThat(CollectionTest.ids(reopened.search(SearchRequest.sparse(q, 10)))).isEqualTo(bruteForce(q, 10, d -> true));
            }
            reopened.awaitBuilds();
            assertThat(reopened.stats().seismicSegments()).isEqualTo(DOCS / SEGMENT_DOCS);
            for (SparseVector q : queries) {
                assertThat(CollectionTest.ids(reopened.search(SearchRequest.sparse(q, 10)))).isEqualTo(bruteForce(q, 10, d -> true));
            }
        }
    }

    /** Copies a collection's files as a process stopping now would leave them (no write lock). */
    static void copyAsAStopLeavesIt(Path from, Path copy) throws IOException {
        Files.createDirectories(copy.resolve("index"));
        Files.copy(from.resolve("collection.json"), copy.resolve("collection.json"));
        try (Stream<Path> files = Files.list(from.resolve("index"))) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("write.lock")) {
                    try {
                        Files.copy(f, copy.resolve("index").resolve(f.getFileName()));
                    } catch (NoSuchFileException gone) {
                        // A build's temporary file, deleted while we listed: a crash might not have kept it either.
                    }
                }
            }
        }
    }

    @Test
    void buildAtFlushLeavesNothingPending() {
        CollectionSettings s = SeismicPathTest.pruned();
        try (Collection c = SeismicPathTest.load(tmp.resolve("c"), s.withWriter(s.writer().withBuildAtFlush(true)), null)) {
            assertThat(c.stats().pendingSegments()).isZero();
            assertThat(c.stats().seismicSegments()).isEqualTo(DOCS / SEGMENT_DOCS);
        }
    }

    private static long keptPostings(Collection c) throws IOException {
        long kept = 0;
        try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(c.directory().resolve("index")))) {
            for (LeafReaderContext leaf : r.leaves()) {
                SparseBinaryDocValues v = (SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR);
                kept += v.segment().seismic().postingCount();
            }
        }
        return kept;
    }
}
