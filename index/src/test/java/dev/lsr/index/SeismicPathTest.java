package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SearchSettings;
import dev.lsr.index.settings.SeismicSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collections whose segments all carry a Seismic structure (every segment above
 * {@code exactSegmentMaxDocs}), with posting lists really pruned, or with exhaustive parameters
 * where approximate search must equal brute force.
 */
class SeismicPathTest {

    static final int DOCS = 6000;
    static final int SEGMENT_DOCS = 1000;
    static final List<Document> DATA = TestVectors.documents(5, 0, DOCS);
    static ExecutorService pool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /**
     * Seismic per segment, lists pruned: 20 postings per term on average for all 6,000 documents,
     * so about 3 per term in each 1,000-document segment (of ~15); hand-set (no recall target, so
     * no self-check raises the budget: these tests need the lists pruned this hard).
     */
    static CollectionSettings pruned() {
        return CollectionSettings.defaults().withDim(TestVectors.DIM).withRefreshIntervalMs(0)
                .withExactSegmentMaxDocs(500)
                .withSeismic(new SeismicSettings(null, 20, null, null, null, null, null, null, null, 1, null, null, DOCS)
                        .withRecallTarget(0))
                .withWriter(new WriterSettings(null, SEGMENT_DOCS, false));
    }

    /**
     * Every posting kept, summaries that bound their blocks (whole documents, all of the mass,
     * quantised upwards), every query term's list visited, no graph.
     */
    static CollectionSettings exhaustive(double heapFactor) {
        return pruned()
                .withSeismic(new SeismicSettings("fixed", 1_000_000, null, null, null, null, 1.0, 0, 0, 1, null, null)
                        .withRecallTarget(0))
                .withSearch(new SearchSettings(1000, heapFactor, false));
    }

    static Collection load(Path dir, CollectionSettings s, ExecutorService executorOrNull) {
        Collection c = Collection.create(dir, s, executorOrNull);
        for (int i = 0; i < DOCS; i += SEGMENT_DOCS) {
            c.upsert(DATA.subList(i, i + SEGMENT_DOCS));
            c.refresh();
        }
        // Flushed segments get their structures in the background (writer.build_at_flush false).
        c.awaitBuilds();
        CollectionStats stats = c.stats();
        assertThat(stats.segments()).isEqualTo(DOCS / SEGMENT_DOCS);
        assertThat(stats.seismicSegments()).isEqualTo(stats.segments());
        return c;
    }

    static List<SparseVector> queries(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<SparseVector> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestVectors.random(rnd, 12));
        }
        return out;
    }

    static List<String> bruteForce(SparseVector q, int k, Predicate<Document> keep) {
        return CollectionTest.bruteForce(DATA, q, k, keep);
    }

    @Test
    void listsArePrunedInEverySegment() throws IOException {
        try (Collection c = load(tmp.resolve("c"), pruned(), null)) {
            c.commit();
            long total = 0;
            for (Document d : DATA) {
                total += d.vector().size();
            }
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(c.directory().resolve("index")))) {
                long kept = 0;
                for (LeafReaderContext leaf : r.leaves()) {
                    SparseBinaryDocValues v = (SparseBinaryDocValues) leaf.reader().getBinaryDocValues(Fields.VECTOR);
                    kept += v.segment().seismic().postingCount();
                }
                assertThat(kept).isLessThan(total / 2);
            }
        }
    }

    @Test
    void multiSegmentEqualsSingleSegmentAndBruteForceAtExhaustiveParams() {
        try (Collection seq = load(tmp.resolve("seq"), exhaustive(0.0), null);
                Collection conc = load(tmp.resolve("conc"), exhaustive(0.0), pool)) {
            List<SparseVector> queries = queries(3, 40);
            List<List<Hit>> many = new ArrayList<>();
            for (SparseVector q : queries) {
                List<Hit> hits = seq.search(SearchRequest.sparse(q, 10)).hits();
                assertThat(CollectionTest.ids(new SearchResponse(hits, SearchMode.APPROXIMATE, 0)))
                        .isEqualTo(bruteForce(q, 10, d -> true));
                assertThat(conc.search(SearchRequest.sparse(q, 10)).hits()).isEqualTo(hits);
                many.add(hits);
            }
            seq.forceMerge(1);
            assertThat(seq.stats().segments()).isEqualTo(1);
            for (int i = 0; i < queries.size(); i++) {
                assertThat(seq.search(SearchRequest.sparse(queries.get(i), 10)).hits()).isEqualTo(many.get(i));
            }
        }
    }

    @Test
    void sharedThresholdNeverDropsATrueTopKHit() {
        // heapFactor just under 1 with bounding summaries: a block is skipped only when none of
        // its documents can beat the k-th score, including the floor carried over from the
        // largest segment. Any hit the floor wrongly dropped would break equality with brute force.
        try (Collection c = load(tmp.resolve("c"), exhaustive(0.99), null);
                Collection conc = load(tmp.resolve("conc"), exhaustive(0.99), pool)) {
            for (SparseVector q : queries(4, 60)) {
                for (int k : new int[] {1, 10, 50}) {
                    List<String> expected = bruteForce(q, k, d -> true);
                    assertThat(CollectionTest.ids(c.search(SearchRequest.sparse(q, k)))).isEqualTo(expected);
                    assertThat(CollectionTest.ids(conc.search(SearchRequest.sparse(q, k)))).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * Documents of 80 terms, so that their 32-term sketches score them only in part: each segment
     * hands its best candidates by sketch score to the collection, which rescores only its best
     * {@code max(100, 2k)} of all segments (not that many per segment). Every list and nearly every
     * block visited (heap factor 0.01, sketches on): every hit carries its stored vector's exact
     * score (a candidate mapped to the wrong segment, or left with its sketch score, fails), recall
     * against brute force stays high, concurrent search returns the sequential hits, and the ten
     * segments find at least what the one merged segment finds with the same rescoring depth.
     */
    @Test
    void sketchCandidatesOfAllSegmentsAreRescoredOnceForTheCollection() {
        SplittableRandom rnd = new SplittableRandom(11);
        List<Document> docs = new ArrayList<>();
        java.util.Map<String, SparseVector> byId = new java.util.HashMap<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(new Document("w" + i, null, null, java.util.Map.of(), TestVectors.random(rnd, 80)));
            byId.put("w" + i, docs.get(i).vector());
        }
        CollectionSettings s = exhaustive(0.01);
        try (Collection seq = Collection.create(tmp.resolve("seq"), s);
                Collection conc = Collection.create(tmp.resolve("conc"), s, pool)) {
            for (Collection c : List.of(seq, conc)) {
                for (int i = 0; i < DOCS; i += SEGMENT_DOCS) {
                    c.upsert(docs.subList(i, i + SEGMENT_DOCS));
                    c.refresh();
                }
                c.awaitBuilds();
                assertThat(c.stats().seismicSegments()).isEqualTo(DOCS / SEGMENT_DOCS);
            }
            List<SparseVector> queries = queries(12, 60);
            double[] recall = new double[2];
            List<List<String>> truths = new ArrayList<>();
            for (SparseVector q : queries) {
                List<String> truth = CollectionTest.bruteForce(docs, q, 10, d -> true);
                truths.add(truth);
                List<Hit> hits = seq.search(SearchRequest.sparse(q, 10)).hits();
                assertThat(hits).hasSize(10);
                for (Hit h : hits) {
                    assertThat(h.score()).isEqualTo(seq.search(SearchRequest.exact(q, 1)
                            .withFilter(Filter.term("id", h.id()))).hits().get(0).score());
                    assertThat((double) h.score()).isCloseTo(byId.get(h.id()).dot(q), org.assertj.core.data.Offset.offset(1e-3));
                }
                recall[0] += truth.stream().filter(CollectionTest.ids(new SearchResponse(hits, SearchMode.APPROXIMATE, 0))::contains)
                        .count() / 10.0;
                assertThat(conc.search(SearchRequest.sparse(q, 10)).hits()).isEqualTo(hits);
            }
            seq.forceMerge(1);
            for (int i = 0; i < queries.size(); i++) {
                List<String> got = CollectionTest.ids(seq.search(SearchRequest.sparse(queries.get(i), 10)));
                recall[1] += truths.get(i).stream().filter(got::contains).count() / 10.0;
            }
            System.out.printf("80-term documents, sketches of 32: recall@10 ten segments %.4f, merged %.4f%n",
                    recall[0] / queries.size(), recall[1] / queries.size());
            assertThat(recall[0] / queries.size()).isGreaterThanOrEqualTo(0.95).isGreaterThanOrEqualTo(recall[1] / queries.size());
        }
    }

    @Test
    void concurrentSegmentSearchIsIdenticalToSequential() {
        try (Collection seq = load(tmp.resolve("seq"), pruned(), null);
                Collection conc = load(tmp.resolve("conc"), pruned(), pool)) {
            Filter even = Filter.term("even", true);
            for (SparseVector q : queries(5, 50)) {
                assertThat(conc.search(SearchRequest.sparse(q, 10)).hits())
                        .isEqualTo(seq.search(SearchRequest.sparse(q, 10)).hits());
                assertThat(conc.search(SearchRequest.sparse(q, 10).withFilter(even)).hits())
                        .isEqualTo(seq.search(SearchRequest.sparse(q, 10).withFilter(even)).hits());
            }
        }
    }

    @Test
    void deletedDocumentsNeverReturnFromSeismicSegments() {
        try (Collection c = load(tmp.resolve("c"), pruned(), pool)) {
            List<SparseVector> queries = queries(6, 40);
            Set<String> deleted = new HashSet<>();
            // The current best hits of every query go first, then every third document.
            for (SparseVector q : queries) {
                for (Hit h : c.search(SearchRequest.sparse(q, 3)).hits()) {
                    deleted.add(h.id());
                }
            }
            for (int i = 0; i < DOCS; i += 3) {
                deleted.add("d" + i);
            }
            deleted.forEach(c::delete);
            c.deleteByFilter(Filter.term("group", "g7"));
            c.refresh();
            Predicate<Document> alive = d -> !deleted.contains(d.id()) && !d.metadata().get("group").equals("g7");
            for (SparseVector q : queries) {
                List<String> got = CollectionTest.ids(c.search(SearchRequest.sparse(q, 10)));
                assertThat(got).hasSize(bruteForce(q, 10, alive).size());
                for (String id : got) {
                    assertThat(deleted).doesNotContain(id);
                    assertThat(id).isNotIn(idsOfGroup("g7"));
                }
            }
        }
    }

    private static Set<String> idsOfGroup(String group) {
        Set<String> out = new HashSet<>();
        for (Document d : DATA) {
            if (d.metadata().get("group").equals(group)) {
                out.add(d.id());
            }
        }
        return out;
    }

    @Test
    void filteredSeismicSearchEqualsBruteForceOverTheFilteredSetAtExhaustiveParams() {
        // filterExact 0: Seismic runs under every filter, however selective.
        try (Collection c = load(tmp.resolve("c"), exhaustive(0.0).withFilterExact(0, 0.0), null)) {
            Filter f = Filter.parse("{\"or\": [{\"term\": {\"group\": \"g1\"}}, {\"range\": {\"n\": {\"lt\": 900}}}]}");
            Predicate<Document> keep = d -> d.metadata().get("group").equals("g1") || ((Integer) d.metadata().get("n")) < 900;
            for (SparseVector q : queries(7, 40)) {
                assertThat(CollectionTest.ids(c.search(SearchRequest.sparse(q, 10).withFilter(f))))
                        .isEqualTo(bruteForce(q, 10, keep));
            }
        }
    }

    @Test
    void filteredSearchReturnsMinOfKAndPassingAtAnySelectivity() {
        try (Collection approxOnly = load(tmp.resolve("a"), pruned().withFilterExact(0, 0.0), null);
                Collection defaults = load(tmp.resolve("d"), pruned(), pool)) {
            // 0.1%, 5% and 60% of the documents pass.
            for (int passing : new int[] {DOCS / 1000, DOCS / 20, DOCS * 6 / 10}) {
                Filter f = Filter.parse("{\"range\": {\"n\": {\"lt\": " + passing + "}}}");
                Predicate<Document> keep = d -> ((Integer) d.metadata().get("n")) < passing;
                double[] recall = new double[2];
                List<SparseVector> queries = queries(8 + passing, 30);
                for (SparseVector q : queries) {
                    List<String> truth = bruteForce(q, 10, keep);
                    List<Collection> both = List.of(approxOnly, defaults);
                    for (int i = 0; i < 2; i++) {
                        List<String> got = CollectionTest.ids(both.get(i).search(SearchRequest.sparse(q, 10).withFilter(f)));
                        assertThat(got).as("%d passing", passing).hasSize(truth.size());
                        for (String id : got) {
                            assertThat(Integer.parseInt(id.substring(1))).isLessThan(passing);
                        }
                        recall[i] += truth.isEmpty() ? 1 : truth.stream().filter(got::contains).count() / (double) truth.size();
                    }
                }
                System.out.printf("filtered, %d of %d passing: recall@10 %.3f (Seismic under every filter), %.3f (defaults)%n",
                        passing, DOCS, recall[0] / queries.size(), recall[1] / queries.size());
                assertThat(recall[1] / queries.size()).as("recall at %d passing", passing).isGreaterThanOrEqualTo(0.95);
            }
        }
    }

    @Test
    void selectiveFiltersAreSearchedExactlyThroughTheForwardIndex() {
        // 0.1%, 5% and 12% pass: at most filter_exact_fraction (0.15) of each segment, so every
        // segment scores its passing documents from its forward index and rescores the best.
        try (Collection c = load(tmp.resolve("c"), pruned(), null)) {
            for (int passing : new int[] {DOCS / 1000, DOCS / 20, DOCS * 12 / 100}) {
                Filter f = Filter.parse("{\"range\": {\"n\": {\"lt\": " + passing + "}}}");
                Predicate<Document> keep = d -> ((Integer) d.metadata().get("n")) < passing;
                for (SparseVector q : queries(30 + passing, 30)) {
                    SearchResponse approx = c.search(SearchRequest.sparse(q, 10).withFilter(f));
                    SearchResponse exact = c.search(SearchRequest.exact(q, 10).withFilter(f));
                    assertThat(CollectionTest.ids(approx)).as("%d passing", passing).isEqualTo(bruteForce(q, 10, keep));
                    assertThat(approx.hits()).extracting(Hit::score).isEqualTo(exact.hits().stream().map(Hit::score).toList());
                }
            }
        }
    }

    @Test
    void searchesDuringMergesStayCorrect() throws Exception {
        // Stable documents "d0".."d5999" never change; a writer adds and deletes others, refreshes
        // every 20 ms and merges. Seismic under a filter on a stable group, at exhaustive
        // parameters, must equal brute force over that group whatever the segments are.
        CollectionSettings s = exhaustive(0.0).withExactSegmentMaxDocs(200).withFilterExact(0, 0.0)
                .withRefreshIntervalMs(20).withWriter(new WriterSettings(null, 400, true, 2.0, 0.01));
        try (Collection c = Collection.create(tmp.resolve("c"), s, pool)) {
            c.upsert(DATA);
            c.refresh();
            Filter group = Filter.term("group", "g3");
            Predicate<Document> inGroup = d -> d.metadata().get("group").equals("g3");
            List<SparseVector> queries = queries(9, 10);
            List<List<String>> expected = new ArrayList<>();
            for (SparseVector q : queries) {
                expected.add(bruteForce(q, 10, inGroup));
            }
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<Integer> writer = threads.submit(() -> {
                    int batches = 0;
                    for (int from = 0; batches < 30; from += 300, batches++) {
                        List<Document> extra = new ArrayList<>();
                        for (Document d : TestVectors.documents(100 + batches, 0, 300)) {
                            extra.add(new Document("w" + (from + extra.size()), null, null, java.util.Map.of("group", "x"), d.vector()));
                        }
                        c.upsert(extra);
                        if (batches % 3 == 0) {
                            c.deleteByFilter(Filter.parse("{\"range\": {\"id\": {\"gte\": \"w\", \"lt\": \"w" + from + "\"}}}"));
                        }
                        if (batches % 10 == 9) {
                            c.forceMerge(2);
                        }
                    }
                    return batches;
                });
                java.util.concurrent.Future<Integer> reader = threads.submit(() -> {
                    int n = 0;
                    while (!stop.get() || n == 0) {
                        int i = n % queries.size();
                        assertThat(CollectionTest.ids(c.search(SearchRequest.sparse(queries.get(i), 10).withFilter(group))))
                                .isEqualTo(expected.get(i));
                        n++;
                    }
                    return n;
                });
                assertThat(writer.get(120, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(30);
                stop.set(true);
                assertThat(reader.get(120, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
            } finally {
                threads.shutdownNow();
            }
            c.refresh();
            assertThat(c.stats().seismicSegments()).isPositive();
        }
    }
}
