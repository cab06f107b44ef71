package dev.lsr.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.lsr.client.CollectionSettings;
import dev.lsr.client.FeedbackParams;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.SearchMode;
import dev.lsr.client.SearchParams;
import dev.lsr.client.SearchQuery;
import dev.lsr.client.SparseVector;
import dev.lsr.client.testing.LsrServer;
import dev.lsr.client.testing.WordHashEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the retriever and the ingestor must do against any lsr, remote or embedded: subclasses say
 * where the collection lives ({@link #lsr()}) and give each test its own collection name.
 */
abstract class RetrievalContract {

    static final int DIM = 1000;
    static final WordHashEncoder ENCODER = new WordHashEncoder(DIM);
    static final UUID REF = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    abstract LsrOperations lsr();

    /** A collection name unique to this test class and {@code test}. */
    abstract String name(String test);

    /** Six segments: keys of every type, some missing, so that 'not' kinds are tested on absent keys too. */
    static List<TextSegment> segments() {
        return List.of(
                TextSegment.from("Learned sparse retrieval expands documents with related terms.",
                        meta("id", "s1", "title", "Sparse", "lang", "en", "year", 2019, "rating", 4.5, "ref", REF)),
                TextSegment.from("Dense retrieval embeds text into vectors.", meta("id", "s2", "lang", "en", "year", 2021, "rating", 3.0)),
                TextSegment.from("Lucene keeps inverted lists in segments.", meta("id", "s3", "lang", "de", "year", 2023, "rating", 4.0)),
                TextSegment.from("Seismic blocks inverted lists and summarises each block.", meta("id", "s4", "lang", "fr", "year", 2020)),
                TextSegment.from("BM25 ranks by term frequency and inverse document frequency.", meta("id", "s5", "lang", "de", "rating", 2.5)),
                TextSegment.from("A segment without metadata.", meta("id", "s6")));
    }

    static Metadata meta(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Metadata.from(m);
    }

    /** A vectors-only collection holding {@link #segments()} with their word-hash vectors. */
    String preEncodedCollection(String test) {
        String name = name(test);
        lsr().createCollection(name, CollectionSettings.vectorsOnly(DIM));
        List<SparseVector> vectors = segments().stream().map(s -> ENCODER.encode(s.text())).toList();
        List<String> ids = LsrIngestor.builder().lsr(lsr()).collection(name).build().ingestSegments(segments(), vectors);
        assertThat(ids).containsExactly("s1", "s2", "s3", "s4", "s5", "s6");
        return name;
    }

    LsrContentRetriever.Builder retriever(String collection) {
        return LsrContentRetriever.builder().lsr(lsr()).collection(collection).queryEncoder(ENCODER::encode);
    }

    static List<String> ids(List<Content> contents) {
        return contents.stream().map(c -> (String) c.metadata().get(ContentMetadata.EMBEDDING_ID)).toList();
    }

    @Test
    void preEncodedSegmentsAreRetrievedWithTheirMetadataAndScores() {
        String c = preEncodedCollection("pre");
        List<Content> top = retriever(c).maxResults(2).build().retrieve(Query.from("inverted lists in segments"));
        assertThat(ids(top)).containsExactly("s3", "s4");
        Content first = top.getFirst();
        assertThat(first.textSegment().text()).isEqualTo("Lucene keeps inverted lists in segments.");
        Metadata m = first.textSegment().metadata();
        assertThat(m.getString("id")).isEqualTo("s3");
        assertThat(m.getString("lang")).isEqualTo("de");
        assertThat(m.getInteger("year")).isEqualTo(2023);
        assertThat(m.getDouble("rating")).isEqualTo(4.0);
        // "inverted", "lists", "in", "segments" once each, plus the 0.01 * 0.01 shared term.
        assertThat((Double) first.metadata().get(ContentMetadata.SCORE)).isCloseTo(4.0001, org.assertj.core.data.Offset.offset(1e-4));

        Content s1 = retriever(c).maxResults(1).build().retrieve(Query.from("learned sparse retrieval")).getFirst();
        assertThat(s1.textSegment().metadata().getString("title")).isEqualTo("Sparse");
        assertThat(s1.textSegment().metadata().getString("ref")).isEqualTo(REF.toString());

        // BM25 needs no vectors; hybrid fuses both lists.
        assertThat(ids(retriever(c).mode(SearchMode.BM25).maxResults(1).build().retrieve(Query.from("inverse document frequency"))))
                .containsExactly("s5");
        List<Content> hybrid = retriever(c).mode(SearchMode.HYBRID).maxResults(3).build().retrieve(Query.from("dense vectors"));
        assertThat(ids(hybrid).getFirst()).isEqualTo("s2");
    }

    @Test
    void maxResultsAndMinScoreCut() {
        String c = preEncodedCollection("cut");
        Query q = Query.from("inverted lists in segments");
        assertThat(retriever(c).mode(SearchMode.EXACT).maxResults(50).build().retrieve(q)).hasSize(6);
        assertThat(retriever(c).maxResults(4).build().retrieve(q)).hasSize(4);
        // s3 scores 4.0001, s4 2.0001 ("inverted lists"), the rest 0.0001.
        assertThat(ids(retriever(c).maxResults(50).minScore(2.0).build().retrieve(q))).containsExactly("s3", "s4");
        assertThat(ids(retriever(c).maxResults(50).minScore(3.0).build().retrieve(q))).containsExactly("s3");
    }

    @Test
    void everySupportedFilterKindSelectsWhatLangChain4jWould() {
        String c = preEncodedCollection("filters");
        List<Filter> filters = List.of(
                metadataKey("lang").isEqualTo("en"),
                metadataKey("year").isEqualTo(2021),
                metadataKey("ref").isEqualTo(REF),
                metadataKey("lang").isNotEqualTo("en"),
                metadataKey("year").isGreaterThan(2020),
                metadataKey("year").isGreaterThanOrEqualTo(2020),
                metadataKey("rating").isLessThan(3.0),
                metadataKey("rating").isLessThanOrEqualTo(3.0),
                metadataKey("lang").isGreaterThan("en"),
                metadataKey("lang").isIn("de", "fr"),
                metadataKey("year").isIn(2019, 2023),
                metadataKey("lang").isNotIn("de", "fr"),
                metadataKey("lang").isEqualTo("en").and(metadataKey("year").isGreaterThan(2020)),
                metadataKey("lang").isEqualTo("fr").or(metadataKey("rating").isLessThan(3.0)),
                Filter.not(metadataKey("lang").isEqualTo("en")));
        for (Filter f : filters) {
            List<String> expected = new ArrayList<>();
            for (TextSegment s : segments()) {
                if (f.test(s.metadata())) {
                    expected.add(s.metadata().getString("id"));
                }
            }
            List<String> got = new ArrayList<>(ids(retriever(c).mode(SearchMode.EXACT).maxResults(50).filter(f).build()
                    .retrieve(Query.from("anything"))));
            java.util.Collections.sort(got);
            assertThat(got).as("%s", f).isEqualTo(expected);
        }
        assertThatThrownBy(() -> retriever(c).filter(metadataKey("lang").containsString("e")).build().retrieve(Query.from("x")))
                .isInstanceOf(UnsupportedFilterException.class).hasMessageContaining("ContainsString");
    }

    @Test
    void refusedSegmentsAreReportedAndTheOthersWritten() {
        String name = name("refused");
        lsr().createCollection(name, CollectionSettings.vectorsOnly(DIM));
        LsrIngestor ingestor = LsrIngestor.builder().lsr(lsr()).collection(name).build();
        List<TextSegment> segs = List.of(TextSegment.from("good one", meta("id", "g")), TextSegment.from("bad one", meta("id", "b")));
        List<SparseVector> vectors = List.of(ENCODER.encode("good one"), SparseVector.of(new int[] {DIM + 1}, new float[] {1f}));
        assertThatThrownBy(() -> ingestor.ingestSegments(segs, vectors)).isInstanceOfSatisfying(LsrIngestException.class, e -> {
            assertThat(e.failures()).singleElement().satisfies(f -> {
                assertThat(f.id()).isEqualTo("b");
                assertThat(f.position()).isEqualTo(1);
            });
            assertThat(e.getMessage()).contains("1 of 2");
        });
        assertThat(ids(retriever(name).build().retrieve(Query.from("good")))).containsExactly("g");
        // All of a batch refused: still a report per segment, not a bare 400.
        assertThatThrownBy(() -> ingestor.ingestSegments(segs.subList(1, 2), vectors.subList(1, 2)))
                .isInstanceOfSatisfying(LsrIngestException.class, e -> assertThat(e.failures()).hasSize(1));
        // One segment per request: the refused one (a batch refused whole) keeps its position in the list.
        LsrIngestor oneByOne = LsrIngestor.builder().lsr(lsr()).collection(name).batchSize(1).build();
        List<TextSegment> three = List.of(TextSegment.from("first", meta("id", "f1")), segs.get(1), TextSegment.from("third", meta("id", "f3")));
        List<SparseVector> threeVectors = List.of(ENCODER.encode("first"), vectors.get(1), ENCODER.encode("third"));
        assertThatThrownBy(() -> oneByOne.ingestSegments(three, threeVectors)).isInstanceOfSatisfying(LsrIngestException.class,
                e -> assertThat(e.failures()).singleElement().satisfies(f -> {
                    assertThat(f.id()).isEqualTo("b");
                    assertThat(f.position()).isEqualTo(1);
                }));
        assertThat(ids(retriever(name).maxResults(5).build().retrieve(Query.from("third")))).contains("f3");
    }

    @Test
    void documentsEncodedByTheCollectionsModel() {
        LsrServer.assumeTinyModel();
        String name = name("model");
        lsr().createCollection(name, modelSettings());
        LsrIngestor ingestor = LsrIngestor.builder().lsr(lsr()).collection(name).build();
        List<String> ids = ingestor.ingest(
                Document.from("Learned sparse retrieval expands documents with related terms.", meta("id", "d1", "lang", "en")),
                Document.from("Dense retrieval embeds text into vectors.", meta("id", "d2", "lang", "en")),
                Document.from("Lucene keeps inverted lists in segments.", meta("id", "d3", "lang", "de")),
                Document.from("BM25 ranks by term frequency and inverse document frequency.", meta("lang", "en")));
        assertThat(ids).hasSize(4).startsWith("d1", "d2", "d3");
        assertThat(UUID.fromString(ids.get(3))).isNotNull(); // no id key: a random UUID

        for (SearchMode mode : SearchMode.values()) {
            LsrContentRetriever r = LsrContentRetriever.builder().lsr(lsr()).collection(name).mode(mode).maxResults(3).build();
            List<Content> got = r.retrieve(Query.from("sparse retrieval"));
            // Exactly what the collection's own search answers, in order, with its scores.
            var direct = lsr().search(name, SearchQuery.text("sparse retrieval").withK(3).withMode(mode)).hits();
            assertThat(ids(got)).as("%s", mode).isEqualTo(direct.stream().map(dev.lsr.client.Hit::id).toList());
            for (int i = 0; i < got.size(); i++) {
                assertThat((Double) got.get(i).metadata().get(ContentMetadata.SCORE)).isEqualTo((double) direct.get(i).score());
            }
        }
        assertThat(ids(LsrContentRetriever.builder().lsr(lsr()).collection(name).mode(SearchMode.BM25).maxResults(1).build()
                .retrieve(Query.from("inverse document frequency")))).containsExactly(ids.get(3));
        List<Content> german = LsrContentRetriever.builder().lsr(lsr()).collection(name).maxResults(5)
                .filter(metadataKey("lang").isEqualTo("de")).build().retrieve(Query.from("sparse retrieval"));
        assertThat(ids(german)).containsExactly("d3");
    }

    @Test
    void removeAllDeletesTheSegmentsAFilterMatches() {
        String name = preEncodedCollection("remove-all");
        LsrIngestor ingestor = LsrIngestor.builder().lsr(lsr()).collection(name).build();
        // s3 and s5 are German: removed and counted (the way to drop a source's chunks before ingesting it again).
        assertThat(ingestor.removeAll(metadataKey("lang").isEqualTo("de"))).isEqualTo(2);
        assertThat(ids(retriever(name).maxResults(10).build().retrieve(Query.from("Lucene keeps inverted lists in segments"))))
                .doesNotContain("s3", "s5").contains("s4");
        assertThat(ingestor.removeAll(metadataKey("lang").isEqualTo("de"))).isZero();
    }

    @Test
    void withoutAModeTheCollectionsRecommendedSearchRuns() {
        LsrServer.assumeTinyModel();
        // The default model was imported by the first collection with it; a copy recommends hybrid.
        lsr().createCollection(name("warm"), modelSettings());
        String model = LsrServer.zeroShotCopy(dataDir(), name("zero-shot-model"));
        String name = name("recommended");
        lsr().createCollection(name, CollectionSettings.model(model));
        LsrIngestor.builder().lsr(lsr()).collection(name).build().ingest(
                Document.from("Learned sparse retrieval expands documents with related terms.", meta("id", "d1")),
                Document.from("Dense retrieval embeds text into vectors.", meta("id", "d2")),
                Document.from("Lucene keeps inverted lists in segments.", meta("id", "d3")));
        List<Content> got = LsrContentRetriever.builder().lsr(lsr()).collection(name).maxResults(3).build()
                .retrieve(Query.from("sparse retrieval"));
        // The retriever used to run approximate search whatever the model recommends.
        var hybrid = lsr().search(name, SearchQuery.text("sparse retrieval").withK(3).withMode(SearchMode.HYBRID));
        assertThat(hybrid.mode()).isEqualTo("hybrid");
        assertThat(lsr().search(name, SearchQuery.text("sparse retrieval").withK(3)).mode()).isEqualTo("hybrid");
        assertThat(ids(got)).isEqualTo(hybrid.hits().stream().map(dev.lsr.client.Hit::id).toList());
        assertThat(got).extracting(c -> (Double) c.metadata().get(ContentMetadata.SCORE))
                .isEqualTo(hybrid.hits().stream().map(h -> (double) h.score()).toList());

        var bare = lsr().search(name, SearchQuery.text("sparse retrieval").withK(3).withMode(SearchMode.HYBRID).withStoredFields(false));
        assertThat(bare.hits()).extracting(dev.lsr.client.Hit::id).isEqualTo(hybrid.hits().stream().map(dev.lsr.client.Hit::id).toList());
        assertThat(bare.hits()).allSatisfy(h -> assertThat(h.text()).isNull());
        assertThat(hybrid.hits()).allSatisfy(h -> assertThat(h.text()).isNotNull());

        // The knobs the client had no field for: idf_power (inference-free weights are idf^p) and prf.
        // Words the tiny (random) model put into the documents' vectors, found through a full-mode
        // query's explanations: only such words have an IDF in the collection.
        String words = lsr().search(name, SearchQuery.text("sparse retrieval").withMode(SearchMode.EXACT).withExplain(true)
                        .withParams(SearchParams.defaults().withQueryEncoder("full"))).hits().stream()
                .flatMap(h -> h.explanation().stream()).map(dev.lsr.client.TermContribution::token)
                .filter(t -> t.chars().allMatch(Character::isLetter)).distinct().limit(3)
                .collect(java.util.stream.Collectors.joining(" "));
        assertThat(words).isNotBlank();
        SearchQuery explained = SearchQuery.text(words).withMode(SearchMode.APPROXIMATE).withExplain(true);
        Map<String, Float> idf = new LinkedHashMap<>();
        lsr().search(name, explained).query().terms().forEach(t -> idf.put(t.token(), t.weight()));
        Map<String, Float> squared = new LinkedHashMap<>();
        lsr().search(name, explained.withParams(SearchParams.defaults().withIdfPower(2.0))).query().terms()
                .forEach(t -> squared.put(t.token(), t.weight()));
        assertThat(squared.keySet()).isEqualTo(idf.keySet()).isNotEmpty();
        idf.forEach((token, w) -> assertThat(squared.get(token)).as(token).isCloseTo(w * w, org.assertj.core.data.Percentage.withPercentage(0.1)));
        assertThatThrownBy(() -> lsr().search(name, explained.withParams(SearchParams.defaults().withPrf(new FeedbackParams(0, null, null)))))
                .isInstanceOf(dev.lsr.client.BadRequestException.class).hasMessageContaining("prf.docs");
        var fed = lsr().search(name, explained.withParams(SearchParams.defaults().withPrf(new FeedbackParams(2, 10, 1.0))));
        assertThat(fed.hits()).isNotEmpty();
    }

    /** Settings of a collection whose text the tiny model encodes. */
    abstract CollectionSettings modelSettings();

    /** The data directory of the lsr under test (its models are under {@code models/}). */
    abstract java.nio.file.Path dataDir();
}
