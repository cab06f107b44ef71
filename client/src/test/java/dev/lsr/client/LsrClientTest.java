package dev.lsr.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.client.testing.LsrServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real {@code lsr serve} on a random port. */
class LsrClientTest {

    private static final int DIM = 1000;
    private static LsrServer server;
    private static LsrClient lsr;

    @BeforeAll
    static void start() {
        server = LsrServer.start(Map.of("lsr.limits.async-batch", "8", "lsr.limits.max-k", "50", "lsr.jobs.chunk", "4"));
        lsr = LsrClient.builder(server.uri()).apiKey(LsrServer.API_KEY).jobPolling(Duration.ofMillis(20), Duration.ofMinutes(1)).build();
    }

    @AfterAll
    static void stop() {
        lsr.close();
        server.close();
    }

    private static SparseVector v(int[] ids, float... weights) {
        return SparseVector.of(ids, weights);
    }

    /** Four documents over term ids 1..9, with metadata for every filter kind. */
    private static List<Document> fourDocs() {
        return List.of(
                new Document("a", "Alpha", "sparse retrieval with learned weights", Map.of("lang", "en", "year", 2021, "open", true), v(new int[] {1, 7}, 0.5f, 2.0f)),
                new Document("b", null, "dense retrieval embeds text", Map.of("lang", "en", "year", 2019, "open", false), v(new int[] {7, 9}, 1.0f, 1.0f)),
                new Document("c", null, "lucene keeps inverted lists", Map.of("lang", "de", "year", 2023, "open", true), v(new int[] {2, 7}, 1.0f, 0.25f)),
                new Document("d", null, "nothing in common here", Map.of("lang", "fr", "year", 2020, "open", false), v(new int[] {3}, 1.0f)));
    }

    private static List<String> ids(SearchResult r) {
        return r.hits().stream().map(Hit::id).toList();
    }

    @Test
    void vectorCollectionRoundTrip() {
        CollectionInfo info = lsr.createCollection("vecs", CollectionSettings.vectorsOnly(DIM).with("refresh_interval_ms", 60000));
        assertThat(info.name()).isEqualTo("vecs");
        assertThat(info.model()).isNull();
        assertThat(info.stats().dim()).isEqualTo(DIM);
        assertThatThrownBy(() -> lsr.createCollection("vecs", CollectionSettings.vectorsOnly(DIM)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("vecs");

        IndexResult added = lsr.addDocuments("vecs", fourDocs(), WriteOptions.refreshedAndCommitted());
        assertThat(added.indexed()).isEqualTo(4);
        assertThat(added.failed()).isZero();
        assertThat(added.jobId()).isNull();
        assertThat(added.items()).extracting(IndexResult.Item::id).containsExactly("a", "b", "c", "d");

        SparseVector q = v(new int[] {7}, 1.0f);
        SearchResult exact = lsr.search("vecs", SearchQuery.vector(q).withMode(SearchMode.EXACT).withExplain(true));
        assertThat(exact.mode()).isEqualTo("exact");
        assertThat(ids(exact)).containsExactly("a", "b", "c");
        Hit top = exact.hits().getFirst();
        assertThat(top.score()).isEqualTo(2.0f);
        assertThat(top.title()).isEqualTo("Alpha");
        assertThat(top.metadata()).containsEntry("lang", "en").containsEntry("open", true);
        assertThat(((Number) top.metadata().get("year")).intValue()).isEqualTo(2021);
        assertThat(top.explanation()).singleElement().satisfies(t -> {
            assertThat(t.termId()).isEqualTo(7);
            assertThat(t.contribution()).isEqualTo(2.0f);
        });
        assertThat(exact.query().terms()).extracting(QueryInfo.Term::termId).containsExactly(7);

        assertThat(ids(lsr.search("vecs", SearchQuery.vector(q).withK(2)))).containsExactly("a", "b");
        assertThat(ids(lsr.search("vecs", SearchQuery.text("inverted lists").withMode(SearchMode.BM25)))).startsWith("c");
        SearchResult hybrid = lsr.search("vecs", SearchQuery.vector(q).withText("inverted lucene").withMode(SearchMode.HYBRID)
                .withParams(SearchParams.defaults().withLinear(0.5, 0.5)));
        assertThat(hybrid.mode()).isEqualTo("hybrid");
        assertThat(ids(hybrid)).contains("a", "c");

        Document b = lsr.document("vecs", "b").orElseThrow();
        assertThat(b.text()).isEqualTo("dense retrieval embeds text");
        assertThat(b.vector().indices()).containsExactly(7, 9);
        assertThat(b.vector().values()).containsExactly(1.0f, 1.0f);
        assertThat(lsr.document("vecs", "nope")).isEmpty();

        lsr.deleteDocument("vecs", "a", WriteOptions.refreshed());
        assertThat(ids(lsr.search("vecs", SearchQuery.vector(q).withMode(SearchMode.EXACT)))).containsExactly("b", "c");
        assertThat(lsr.stats("vecs").docs()).isEqualTo(3);
        assertThat(lsr.collections()).extracting(CollectionStats::name).contains("vecs");

        lsr.deleteCollection("vecs");
        assertThat(lsr.findCollection("vecs")).isEmpty();
        assertThatThrownBy(() -> lsr.search("vecs", SearchQuery.vector(q))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("vecs");
        assertThatThrownBy(() -> lsr.document("vecs", "b")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void everyFilterKindSelectsWhatTheIndexSays() {
        lsr.createCollection("filters", CollectionSettings.vectorsOnly(DIM));
        lsr.addDocuments("filters", fourDocs(), WriteOptions.refreshed());
        SearchQuery all = SearchQuery.vector(v(new int[] {1, 2, 3, 7, 9}, 1, 1, 1, 1, 1)).withMode(SearchMode.EXACT);
        Map<Filter, List<String>> expected = Map.of(
                Filter.term("lang", "en"), List.of("a", "b"),
                Filter.term("open", true), List.of("a", "c"),
                Filter.term("year", 2019), List.of("b"),
                Filter.term("id", "d"), List.of("d"),
                Filter.terms("lang", List.of("de", "fr")), List.of("c", "d"),
                Filter.range("year").gte(2020).lt(2023).build(), List.of("a", "d"),
                Filter.range("lang").gt("en").build(), List.of("d"),
                Filter.and(Filter.term("lang", "en"), Filter.range("year").gt(2020).build()), List.of("a"),
                Filter.or(Filter.term("lang", "de"), Filter.term("year", 2019)), List.of("b", "c"),
                Filter.not(Filter.term("lang", "en")), List.of("c", "d"));
        expected.forEach((filter, ids) -> {
            List<String> got = new ArrayList<>(ids(lsr.search("filters", all.withFilter(filter))));
            java.util.Collections.sort(got);
            assertThat(got).as("%s", filter.toJson()).isEqualTo(ids);
        });
        lsr.deleteCollection("filters");
    }

    @Test
    void refusalsBecomeTypedExceptionsWithTheServersDetail() {
        lsr.createCollection("errs", CollectionSettings.vectorsOnly(DIM));
        SparseVector q = v(new int[] {7}, 1.0f);
        assertThatThrownBy(() -> lsr.search("errs", SearchQuery.vector(q).withK(51)))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.limit()).isEqualTo("lsr.limits.max-k");
                    assertThat(e.limitValue()).isEqualTo(50);
                });
        assertThatThrownBy(() -> lsr.search("errs", SearchQuery.vector(v(new int[] {DIM + 5}, 1.0f))))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.detail()).contains("1005"));
        assertThatThrownBy(() -> lsr.search("errs", SearchQuery.vector(q).withFilter(Filter.range("year").gte(1).build())
                .withParams(SearchParams.defaults().withHeapFactor(2.0))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("heap_factor");
        assertThatThrownBy(() -> lsr.createCollection("Bad Name", CollectionSettings.vectorsOnly(DIM)))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> lsr.addDocuments("errs", List.of(Document.ofVector("x", null, v(new int[] {DIM}, 1.0f)))))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.detail()).contains("'x'"));
        try (LsrClient anonymous = LsrClient.create(server.uri())) {
            assertThatThrownBy(() -> anonymous.createCollection("nokey", CollectionSettings.vectorsOnly(DIM)))
                    .isInstanceOf(UnauthorizedException.class);
            assertThat(anonymous.search("errs", SearchQuery.vector(q)).hits()).isEmpty(); // reads need no key
        }
        try (LsrClient nowhere = LsrClient.builder(URI.create("http://127.0.0.1:1")).timeout(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(() -> nowhere.collections()).isInstanceOf(LsrTransportException.class).hasMessageContaining("127.0.0.1:1");
            assertThat(nowhere.isReady()).isFalse();
        }
        lsr.deleteCollection("errs");
    }

    @Test
    void largeBatchRunsAsAJobThatTheClientAwaits() {
        lsr.createCollection("jobs", CollectionSettings.vectorsOnly(DIM));
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(Document.ofVector("d" + i, "doc " + i, v(new int[] {i + 1}, 1.0f)));
        }
        docs.set(5, Document.ofVector("bad", null, v(new int[] {-1}, 1.0f)));
        IndexResult r = lsr.addDocuments("jobs", docs, WriteOptions.refreshed());
        assertThat(r.jobId()).isNotNull();
        assertThat(r.indexed()).isEqualTo(19);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.items()).singleElement().satisfies(item -> {
            assertThat(item.id()).isEqualTo("bad");
            assertThat(item.error()).isNotBlank();
        });
        assertThat(lsr.stats("jobs").docs()).isEqualTo(19);
        lsr.deleteCollection("jobs");
    }

    @Test
    void textCollectionWithTheServersModel() {
        LsrServer.assumeTinyModel();
        assertThat(lsr.isReady()).isTrue();
        CollectionInfo info = lsr.createCollection("texts", CollectionSettings.defaultModel());
        assertThat(info.model()).isNotNull();
        lsr.addDocuments("texts", List.of(
                Document.ofText("1", "Learned sparse retrieval expands documents with related terms.").withMetadata(Map.of("lang", "en")),
                Document.ofText("2", "Lucene keeps inverted lists in segments.").withMetadata(Map.of("lang", "de"))),
                WriteOptions.refreshed());
        SearchResult r = lsr.search("texts", SearchQuery.text("sparse retrieval").withExplain(true).withFilter(Filter.term("lang", "en")));
        assertThat(ids(r)).containsExactly("1");
        assertThat(r.query().tokens()).isNotEmpty();
        assertThat(r.query().encoder()).isEqualTo("full");

        EncodedText e = lsr.encodeQuery("sparse retrieval");
        assertThat(e.vector().hasTokens()).isTrue();
        assertThat(e.vector().size()).isPositive();
        assertThat(e.tokens()).isNotEmpty();
        // The stored vector comes back in the token form and scores the document as the search did.
        Document one = lsr.document("texts", "1").orElseThrow();
        assertThat(one.vector().hasTokens()).isTrue();
        SearchResult byVector = lsr.search("texts", SearchQuery.vector(e.vector()).withMode(SearchMode.EXACT));
        assertThat(byVector.hits().getFirst().score()).isCloseTo(
                lsr.search("texts", SearchQuery.text("sparse retrieval").withMode(SearchMode.EXACT)).hits().getFirst().score(),
                org.assertj.core.data.Offset.offset(1e-4f));
        lsr.deleteCollection("texts");
    }

    @Test
    void withoutAModeTheCollectionsRecommendedSearchRuns() {
        LsrServer.assumeTinyModel();
        // The client used to send mode "approximate" for every query without one, so the default
        // model's recommended hybrid search never ran through it.
        String model = LsrServer.zeroShotCopy(server.dataDir(), "tiny-zero-shot");
        lsr.createCollection("recommended", CollectionSettings.model(model));
        lsr.addDocuments("recommended", List.of(
                Document.ofText("1", "Learned sparse retrieval expands documents with related terms."),
                Document.ofText("2", "Dense retrieval embeds text into vectors."),
                Document.ofText("3", "Lucene keeps inverted lists in segments.")),
                WriteOptions.refreshed());
        SearchResult recommended = lsr.search("recommended", SearchQuery.text("sparse retrieval").withExplain(true));
        assertThat(recommended.mode()).isEqualTo("hybrid");
        assertThat(recommended.query().encoder()).isEqualTo("inference-free");
        SearchResult hybrid = lsr.search("recommended", SearchQuery.text("sparse retrieval").withMode(SearchMode.HYBRID));
        assertThat(ids(recommended)).isEqualTo(ids(hybrid));
        assertThat(recommended.hits()).extracting(Hit::score).isEqualTo(hybrid.hits().stream().map(Hit::score).toList());
        assertThat(lsr.search("recommended", SearchQuery.text("sparse retrieval").withMode(SearchMode.APPROXIMATE)).mode())
                .isEqualTo("approximate");

        // Stored fields off: the same hits, id and score only.
        SearchResult bare = lsr.search("recommended", SearchQuery.text("sparse retrieval").withStoredFields(false));
        assertThat(ids(bare)).isEqualTo(ids(hybrid));
        assertThat(bare.hits()).extracting(Hit::score).isEqualTo(hybrid.hits().stream().map(Hit::score).toList());
        assertThat(bare.hits()).allSatisfy(h -> {
            assertThat(h.text()).isNull();
            assertThat(h.title()).isNull();
        });
        assertThat(hybrid.hits()).allSatisfy(h -> assertThat(h.text()).isNotBlank());
        lsr.deleteCollection("recommended");
    }

    @Test
    void deleteByFilterRemovesWhatItMatchesAndSaysHowMany() {
        lsr.createCollection("pruned", CollectionSettings.vectorsOnly(DIM));
        lsr.addDocuments("pruned", fourDocs(), WriteOptions.defaults()); // not refreshed: the delete counts them anyway
        assertThat(lsr.deleteByFilter("pruned", Filter.term("lang", "en"), WriteOptions.refreshed())).isEqualTo(2);
        assertThat(ids(lsr.search("pruned", SearchQuery.vector(v(new int[] {1, 2, 3, 7, 9}, 1f, 1f, 1f, 1f, 1f)).withMode(SearchMode.EXACT))))
                .containsExactlyInAnyOrder("c", "d");
        assertThat(lsr.deleteByFilter("pruned", Filter.term("lang", "en"), WriteOptions.refreshed())).isZero();
        assertThatThrownBy(() -> lsr.deleteByFilter("absent", Filter.term("lang", "en"), WriteOptions.defaults()))
                .isInstanceOf(NotFoundException.class);
        lsr.deleteCollection("pruned");
    }
}
