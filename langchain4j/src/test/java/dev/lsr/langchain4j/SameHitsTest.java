package dev.lsr.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import dev.lsr.client.CollectionSettings;
import dev.lsr.client.EmbeddedLsr;
import dev.lsr.client.LsrClient;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.SearchMode;
import dev.lsr.client.SparseVector;
import dev.lsr.client.testing.LsrServer;
import dev.lsr.engine.EngineOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same collection, remote (lsr serve) and embedded (an engine in this JVM): the same contents, in the same order, with the same scores. */
class SameHitsTest {

    /** Deleted by JUnit after the class (it used to stay in /tmp). */
    @TempDir
    static Path tmp;

    private static LsrServer server;
    private static LsrClient remote;
    private static EmbeddedLsr embedded;

    @BeforeAll
    static void start() throws Exception {
        server = LsrServer.start(Map.of());
        remote = LsrClient.builder(server.uri()).apiKey(LsrServer.API_KEY).build();
        embedded = EmbeddedLsr.open(tmp, EngineOptions.defaults()
                .withDefaultModel(LsrServer.hasTinyModel() ? LsrServer.tinyModel().toString() : null).withEncoderThreads(2));
    }

    @AfterAll
    static void stop() {
        embedded.close();
        remote.close();
        server.close();
    }

    private static List<String> describe(List<Content> contents) {
        return contents.stream().map(c -> c.metadata().get(ContentMetadata.EMBEDDING_ID) + " " + c.metadata().get(ContentMetadata.SCORE)
                + " " + c.textSegment().text() + " " + new java.util.TreeMap<>(c.textSegment().metadata().toMap())).toList();
    }

    private static List<Content> retrieve(LsrOperations lsr, String collection, SearchMode mode, String text) {
        LsrContentRetriever.Builder b = LsrContentRetriever.builder().lsr(lsr).collection(collection).mode(mode).maxResults(4)
                .filter(MetadataFilterBuilder.metadataKey("year").isGreaterThanOrEqualTo(2019));
        if (collection.startsWith("vectors")) {
            b.queryEncoder(RetrievalContract.ENCODER::encode);
        }
        return b.build().retrieve(Query.from(text));
    }

    @Test
    void preEncodedCollection() {
        for (LsrOperations lsr : List.of(remote, embedded)) {
            lsr.createCollection("vectors", CollectionSettings.vectorsOnly(RetrievalContract.DIM));
            List<SparseVector> vectors = RetrievalContract.segments().stream().map(s -> RetrievalContract.ENCODER.encode(s.text())).toList();
            LsrIngestor.builder().lsr(lsr).collection("vectors").build().ingestSegments(RetrievalContract.segments(), vectors);
        }
        for (SearchMode mode : SearchMode.values()) {
            for (String q : List.of("inverted lists in segments", "sparse retrieval", "document frequency")) {
                List<String> r = describe(retrieve(remote, "vectors", mode, q));
                assertThat(r).as("%s %s", mode, q).isNotEmpty().isEqualTo(describe(retrieve(embedded, "vectors", mode, q)));
            }
        }
    }

    @Test
    void collectionEncodedByTheModel() {
        LsrServer.assumeTinyModel();
        List<Document> docs = RetrievalContract.segments().stream()
                .map(s -> Document.from(s.text(), s.metadata().copy())).toList();
        for (LsrOperations lsr : List.of(remote, embedded)) {
            lsr.createCollection("texts", CollectionSettings.defaultModel());
            LsrIngestor.builder().lsr(lsr).collection("texts").build().ingest(docs);
        }
        for (SearchMode mode : SearchMode.values()) {
            for (String q : List.of("inverted lists in segments", "sparse retrieval", "document frequency")) {
                List<String> r = describe(retrieve(remote, "texts", mode, q));
                assertThat(r).as("%s %s", mode, q).isNotEmpty().isEqualTo(describe(retrieve(embedded, "texts", mode, q)));
            }
        }
    }
}
