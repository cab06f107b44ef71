package dev.lsr.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.client.LsrClient;
import dev.lsr.client.testing.LsrServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;
import org.springframework.ai.rag.retrieval.search.VectorStoreDocumentRetriever;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with lsr-spring-ai on its classpath and lsr.retriever.* properties gets
 * a working {@code @Autowired DocumentRetriever} (the auto-configuration is found through Boot's
 * imports file), here against a real {@code lsr serve} on a random port.
 */
@SpringBootTest(classes = SpringBootAppTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SpringBootAppTest {

    @SpringBootApplication
    static class App {}

    private static LsrServer server;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        server = LsrServer.start(Map.of());
        try (LsrClient client = LsrClient.builder(server.uri()).apiKey(LsrServer.API_KEY).build()) {
            Fixtures.preEncoded(client, "boot-docs");
        }
        registry.add("lsr.retriever.url", () -> server.uri().toString());
        registry.add("lsr.retriever.collection", () -> "boot-docs");
        registry.add("lsr.retriever.mode", () -> "bm25");   // the collection has no model: BM25 over its text
        registry.add("lsr.retriever.top-k", () -> "2");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Autowired
    DocumentRetriever retriever;

    @Test
    void autowiredRetrieverRetrieves() {
        assertThat(retriever).isInstanceOf(LsrDocumentRetriever.class);
        List<Document> docs = retriever.retrieve(new Query("inverted lists in segments"));
        assertThat(docs).extracting(Document::getId).containsExactly("s3", "s4");
        Document top = docs.getFirst();
        assertThat(top.getText()).isEqualTo("Lucene keeps inverted lists in segments.");
        assertThat(top.getMetadata()).containsEntry("lang", "de").containsEntry("year", 2023);
        assertThat(top.getScore()).isPositive();
        assertThat(top.getScore()).isGreaterThan(docs.get(1).getScore());

        // A filter in the query's context, as Spring AI's own retriever takes it.
        Query french = Query.builder().text("inverted lists in segments")
                .context(Map.of(VectorStoreDocumentRetriever.FILTER_EXPRESSION, "lang == 'fr'")).build();
        assertThat(retriever.retrieve(french)).extracting(Document::getId).containsExactly("s4");
        assertThat(retriever.retrieve(new Query("learned sparse")).getFirst().getMetadata()).containsEntry("title", "Sparse");
    }
}
