package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionTest {

    @TempDir
    Path tmp;

    static CollectionSettings settings() {
        return CollectionSettings.defaults().withDim(TestVectors.DIM).withRefreshIntervalMs(0);
    }

    /** Brute force over the given documents: ids of the top k by dot product (ties by id order of insertion). */
    static List<String> bruteForce(List<Document> docs, SparseVector q, int k, Predicate<Document> keep) {
        record S(String id, float score, int pos) {}
        List<S> all = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Document d = docs.get(i);
            float s = d.vector().dot(q);
            if (keep.test(d) && s > 0) {
                all.add(new S(d.id(), s, i));
            }
        }
        all.sort(Comparator.comparingDouble((S s) -> -s.score()).thenComparingInt(S::pos));
        return all.stream().limit(k).map(S::id).toList();
    }

    static List<String> ids(SearchResponse r) {
        return r.hits().stream().map(Hit::id).toList();
    }

    @Test
    void exactSearchMatchesBruteForceAndSurvivesForceMerge() {
        CollectionSettings s = settings().withWriter(new WriterSettings(null, 50, false));
        try (Collection c = Collection.create(tmp.resolve("c"), s)) {
            List<Document> docs = TestVectors.documents(1, 0, 600);
            for (int i = 0; i < docs.size(); i += 100) {
                c.upsert(docs.subList(i, i + 100));
                c.refresh();
            }
            assertThat(c.stats().segments()).isGreaterThan(5);
            SplittableRandom rnd = new SplittableRandom(7);
            List<SparseVector> queries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                queries.add(TestVectors.random(rnd, 10));
            }
            List<List<Hit>> before = new ArrayList<>();
            for (SparseVector q : queries) {
                SearchResponse r = c.search(SearchRequest.exact(q, 10));
                assertThat(ids(r)).isEqualTo(bruteForce(docs, q, 10, d -> true));
                for (Hit h : r.hits()) {
                    float expected = docs.get(Integer.parseInt(h.id().substring(1))).vector().dot(q);
                    assertThat(h.score()).isEqualTo(expected);
                }
                before.add(r.hits());
                assertThat(ids(c.search(SearchRequest.sparse(q, 10)))).isEqualTo(ids(r));
            }
            c.forceMerge(1);
            assertThat(c.stats().segments()).isEqualTo(1);
            for (int i = 0; i < queries.size(); i++) {
                assertThat(c.search(SearchRequest.exact(queries.get(i), 10)).hits()).isEqualTo(before.get(i));
            }
        }
    }

    @Test
    void upsertReplacesDeletesNeverReturnAndFiltersMatchBruteForce() {
        try (Collection c = Collection.create(tmp.resolve("c"), settings())) {
            List<Document> docs = new ArrayList<>(TestVectors.documents(2, 0, 300));
            c.upsert(docs);
            c.refresh();
            // Replace d5 with d7's vector: both must now rank equally for that query.
            Document d7 = docs.get(7);
            Document newD5 = new Document("d5", "new title", "replaced", Map.of("group", "gx"), d7.vector());
            c.upsert(List.of(newD5));
            docs.set(5, newD5);
            c.delete("d7");
            docs.remove(7);
            long inG3 = docs.stream().filter(d -> "g3".equals(d.metadata().get("group"))).count();
            assertThat(inG3).isPositive();
            // Counted after a refresh of its own: the replacements above were not visible yet.
            assertThat(c.deleteByFilter(Filter.parse("{\"term\": {\"group\": \"g3\"}}"))).isEqualTo(inG3);
            docs.removeIf(d -> "g3".equals(d.metadata().get("group")));
            c.refresh();
            assertThat(c.get("d5")).get().satisfies(d -> {
                assertThat(d.title()).isEqualTo("new title");
                assertThat(d.vector()).isEqualTo(d7.vector());
                assertThat(d.metadata()).isEqualTo(Map.of("group", "gx"));
            });
            assertThat(c.get("d7")).isEmpty();
            assertThat(c.get("d3")).isEmpty();
            assertThat(c.stats().docs()).isEqualTo(docs.size());

            SparseVector q = d7.vector();
            List<String> hits = ids(c.search(SearchRequest.sparse(q, 50)));
            assertThat(hits).contains("d5").doesNotContain("d7", "d3", "d13");
            assertThat(hits).isEqualTo(bruteForce(docs, q, 50, d -> true));

            Filter f = Filter.parse("""
                    {"and": [{"range": {"n": {"gte": 20, "lt": 200}}},
                             {"or": [{"term": {"even": true}}, {"terms": {"group": ["g1", "g5"]}}]},
                             {"not": {"term": {"id": "d22"}}}]}""");
            Predicate<Document> keep = d -> {
                Map<String, Object> m = d.metadata();
                if (!m.containsKey("n")) {
                    return false;
                }
                int n = ((Number) m.get("n")).intValue();
                return n >= 20 && n < 200
                        && (Boolean.TRUE.equals(m.get("even")) || "g1".equals(m.get("group")) || "g5".equals(m.get("group")))
                        && !d.id().equals("d22");
            };
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < 10; i++) {
                SparseVector query = TestVectors.random(rnd, 10);
                assertThat(ids(c.search(SearchRequest.sparse(query, 10).withFilter(f))))
                        .isEqualTo(bruteForce(docs, query, 10, keep));
            }
        }
    }

    @Test
    void backgroundRefreshMakesWritesVisible() throws Exception {
        try (Collection c = Collection.create(tmp.resolve("c"), settings().withRefreshIntervalMs(50))) {
            c.upsert(TestVectors.documents(9, 0, 10));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (c.stats().docs() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(c.stats().docs()).isEqualTo(10);
        }
    }

    /** Hits without stored fields carry the same ids and scores, read from doc values, in every mode. */
    @Test
    void idsOnlyHitsMatchFullHits() {
        try (Collection c = Collection.create(tmp.resolve("c"), settings().withWriter(new WriterSettings(null, 40, false)))) {
            List<Document> docs = TestVectors.documents(5, 0, 200);
            c.upsert(docs);
            c.refresh();
            SparseVector q = docs.get(3).vector();
            for (SearchRequest full : List.of(SearchRequest.sparse(q, 20), SearchRequest.exact(q, 20),
                    SearchRequest.bm25(docs.get(3).text(), 20), SearchRequest.hybrid(q, docs.get(3).text(), 20))) {
                List<Hit> a = c.search(full).hits();
                List<Hit> b = c.search(full.withStoredFields(false)).hits();
                assertThat(a).as("%s", full.mode()).isNotEmpty();
                assertThat(b).extracting(Hit::id).as("%s", full.mode()).isEqualTo(a.stream().map(Hit::id).toList());
                assertThat(b).extracting(Hit::score).isEqualTo(a.stream().map(Hit::score).toList());
                assertThat(b).allSatisfy(h -> assertThat(h.text()).isNull());
                assertThat(a).anySatisfy(h -> assertThat(h.text()).isNotNull());
            }
        }
    }

    @Test
    void duplicateIdsInOneBatchLastWins() {
        try (Collection c = Collection.create(tmp.resolve("c"), settings())) {
            SplittableRandom rnd = new SplittableRandom(1);
            int written = c.upsert(List.of(
                    new Document("a", null, "first", null, TestVectors.random(rnd, 5)),
                    new Document("b", null, "other", null, TestVectors.random(rnd, 5)),
                    new Document("a", null, "second", null, TestVectors.random(rnd, 5))));
            assertThat(written).isEqualTo(2);
            c.refresh();
            assertThat(c.stats().docs()).isEqualTo(2);
            assertThat(c.get("a")).get().extracting(Document::text).isEqualTo("second");
        }
    }

    @Test
    void bm25HybridAndExplanations() {
        try (Collection c = Collection.create(tmp.resolve("c"), settings())) {
            List<Document> docs = TestVectors.documents(4, 0, 200);
            c.upsert(docs);
            c.refresh();
            SearchResponse bm25 = c.search(SearchRequest.bm25("apples", 10));
            assertThat(bm25.hits()).hasSize(10).allSatisfy(h -> assertThat(h.text()).contains("apples"));
            SparseVector q = docs.get(3).vector();
            SearchResponse rrf = c.search(SearchRequest.hybrid(q, "oranges", 10));
            assertThat(rrf.hits().get(0).id()).isEqualTo("d3");
            SearchResponse linear = c.search(SearchRequest.hybrid(q, "oranges", 10).withFusion(new Fusion.Linear(1, 0)));
            assertThat(ids(linear)).isEqualTo(ids(c.search(SearchRequest.sparse(q, 10))));
            SearchResponse explained = c.search(SearchRequest.sparse(q, 3).withExplain(true));
            for (Hit h : explained.hits()) {
                double sum = h.explanation().stream().mapToDouble(TermContribution::contribution).sum();
                assertThat(sum).isCloseTo(h.score(), org.assertj.core.data.Offset.offset(1e-3));
                for (int i = 1; i < h.explanation().size(); i++) {
                    assertThat(h.explanation().get(i).contribution()).isLessThanOrEqualTo(h.explanation().get(i - 1).contribution());
                }
            }
            int[] df = c.documentFrequencies();
            int expected = (int) docs.stream().filter(d -> containsTerm(d.vector(), q.index(0))).count();
            assertThat(df[q.index(0)]).isEqualTo(expected);
        }
    }

    private static boolean containsTerm(SparseVector v, int term) {
        for (int i = 0; i < v.size(); i++) {
            if (v.index(i) == term) {
                return true;
            }
        }
        return false;
    }

    @Test
    void commitIsDurableAndSecondWriterIsRefused() throws Exception {
        Path dir = tmp.resolve("c");
        try (Collection c = Collection.create(dir, settings())) {
            c.upsert(TestVectors.documents(5, 0, 50));
            c.commit();
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(dir.resolve("index")))) {
                assertThat(r.numDocs()).isEqualTo(50);
            }
            assertThatThrownBy(() -> Collection.open(dir))
                    .isInstanceOf(CollectionLockedException.class)
                    .hasMessageContaining("collection 'c' is open in another process");
        }
        try (Collection c = Collection.open(dir)) {
            assertThat(c.stats().docs()).isEqualTo(50);
        }
    }

    @Test
    void commitIfChangedCommitsOnlyWhatChanged() throws Exception {
        Path dir = tmp.resolve("c");
        try (Collection c = Collection.create(dir, settings())) {
            assertThat(c.commitIfChanged()).as("fresh, committed at creation").isFalse();
            c.upsert(TestVectors.documents(5, 0, 30));
            c.refresh();
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(dir.resolve("index")))) {
                assertThat(r.numDocs()).as("a refresh is not a commit").isZero();
            }
            assertThat(c.commitIfChanged()).isTrue();
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(dir.resolve("index")))) {
                assertThat(r.numDocs()).isEqualTo(30);
            }
            assertThat(c.commitIfChanged()).as("nothing since").isFalse();
            c.delete("d0");
            assertThat(c.commitIfChanged()).as("a delete").isTrue();
            try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(dir.resolve("index")))) {
                assertThat(r.numDocs()).isEqualTo(29);
            }
        }
    }

    @Test
    void badInputIsRejectedWithClearMessages() throws Exception {
        try (Collection c = Collection.create(tmp.resolve("c"), settings())) {
            SparseVector ok = SparseVector.of(new int[] {1}, new float[] {1f}, TestVectors.DIM);
            assertThatThrownBy(() -> Document.vector("doc-1", new int[] {3, 4}, new float[] {1f, Float.NaN}, TestVectors.DIM))
                    .isInstanceOf(InvalidDocumentException.class)
                    .hasMessageContaining("doc-1").hasMessageContaining("vector").hasMessageContaining("not finite");
            assertThatThrownBy(() -> Document.vector("doc-2", new int[] {3}, new float[] {-1f}, TestVectors.DIM))
                    .hasMessageContaining("doc-2").hasMessageContaining("must be > 0");
            assertThatThrownBy(() -> Document.vector("doc-3", new int[] {3}, new float[] {0f}, TestVectors.DIM))
                    .hasMessageContaining("doc-3").hasMessageContaining("must be > 0");
            assertThatThrownBy(() -> Document.vector("doc-4", new int[] {3}, new float[] {Float.POSITIVE_INFINITY}, TestVectors.DIM))
                    .hasMessageContaining("doc-4").hasMessageContaining("not finite");
            SparseVector wide = SparseVector.of(new int[] {TestVectors.DIM + 5}, new float[] {1f}, 100_000);
            assertThatThrownBy(() -> c.upsert(List.of(Document.of("doc-5", "x", wide))))
                    .isInstanceOf(InvalidDocumentException.class)
                    .hasMessageContaining("doc-5").hasMessageContaining("vector").hasMessageContaining("outside the collection's vocabulary");
            assertThatThrownBy(() -> c.upsert(List.of(new Document("doc-6", null, null, Map.of("nested", Map.of("a", 1)), ok))))
                    .isInstanceOf(InvalidDocumentException.class)
                    .hasMessageContaining("doc-6").hasMessageContaining("metadata.nested").hasMessageContaining("an object");
            assertThatThrownBy(() -> c.upsert(List.of(new Document("doc-7", null, null, Map.of("tags", List.of("a")), ok))))
                    .hasMessageContaining("doc-7").hasMessageContaining("metadata.tags").hasMessageContaining("an array");
            assertThatThrownBy(() -> c.upsert(List.of(new Document("", null, null, null, ok))))
                    .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("'id'");
            // A rejected batch writes nothing.
            assertThatThrownBy(() -> c.upsert(List.of(Document.of("fine", "x", ok), Document.of("doc-5", "x", wide))))
                    .isInstanceOf(InvalidDocumentException.class);
            c.refresh();
            assertThat(c.stats().docs()).isZero();

            assertThatThrownBy(() -> Filter.parse("{\"range\": {\"n\": {\"gte\": 1, \"bogus\": 2}}}"))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("filter.range.n").hasMessageContaining("bogus");
            assertThatThrownBy(() -> Filter.parse("{\"xor\": []}")).hasMessageContaining("unknown filter operator 'xor'");
            String deep = "{\"not\": ".repeat(40) + "{\"term\": {\"a\": 1}}" + "}".repeat(40);
            assertThatThrownBy(() -> Filter.parse(deep)).hasMessageContaining("deeper than 32");
            assertThatThrownBy(() -> SearchRequest.sparse(ok, 0)).hasMessageContaining("'k'");
            assertThatThrownBy(() -> SearchRequest.bm25(" ", 5)).hasMessageContaining("'text'");
        }
    }

    @Test
    void incompatibleOrUnknownCollectionsAreRefused() throws Exception {
        try (Collections all = Collections.open(tmp.resolve("data"))) {
            assertThatThrownBy(() -> all.get("nope")).isInstanceOf(CollectionNotFoundException.class)
                    .hasMessageContaining("'nope' does not exist");
            assertThatThrownBy(() -> all.create("../evil", settings())).isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> all.create("Upper", settings())).isInstanceOf(InvalidRequestException.class);
            all.create("one", settings());
            assertThatThrownBy(() -> all.create("one", settings())).isInstanceOf(CollectionExistsException.class);
            assertThat(all.list()).containsExactly("one");
            all.delete("one");
            assertThat(all.list()).isEmpty();
        }
        Path old = tmp.resolve("old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("collection.json"), "{\"format\": \"lsr-collection\", \"formatVersion\": 99, \"settings\": {}}");
        assertThatThrownBy(() -> Collection.open(old)).isInstanceOf(IncompatibleCollectionException.class)
                .hasMessageContaining("format version 99").hasMessageContaining("reads only version 1");
        assertThatThrownBy(() -> Collection.open(tmp.resolve("missing"))).isInstanceOf(CollectionNotFoundException.class);
    }
}
