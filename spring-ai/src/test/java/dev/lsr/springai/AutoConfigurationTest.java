package dev.lsr.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.client.CollectionSettings;
import dev.lsr.client.Hit;
import dev.lsr.client.LsrClient;
import dev.lsr.client.SearchMode;
import dev.lsr.client.SearchQuery;
import dev.lsr.client.SearchResult;
import dev.lsr.client.testing.LsrServer;
import dev.lsr.springai.autoconfigure.LsrRetrieverAutoConfiguration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration's conditions and properties, against a real {@code lsr serve}. */
class AutoConfigurationTest {

    private static LsrServer server;
    private static LsrClient client;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LsrRetrieverAutoConfiguration.class));

    @BeforeAll
    static void start() {
        server = LsrServer.start(Map.of());
        client = LsrClient.builder(server.uri()).apiKey(LsrServer.API_KEY).build();
        Fixtures.preEncoded(client, "auto-docs");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private String url() {
        return "lsr.retriever.url=" + server.uri();
    }

    @Test
    void offWithoutACollection() {
        runner.withPropertyValues(url()).run(ctx -> assertThat(ctx).doesNotHaveBean(DocumentRetriever.class));
    }

    @Test
    void aCollectionWithoutALocationFailsNamingBothProperties() {
        runner.withPropertyValues("lsr.retriever.collection=auto-docs").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("lsr.retriever.url")
                    .hasMessageContaining("lsr.retriever.data-dir");
        });
    }

    @Test
    void theApplicationsOwnRetrieverWins() {
        DocumentRetriever own = q -> List.of();
        runner.withPropertyValues(url(), "lsr.retriever.collection=auto-docs")
                .withBean(DocumentRetriever.class, () -> own)
                .run(ctx -> assertThat(ctx.getBean(DocumentRetriever.class)).isSameAs(own));
    }

    @Test
    void propertiesSetModeTopKFilterAndMinScore() {
        runner.withPropertyValues(url(), "lsr.retriever.collection=auto-docs", "lsr.retriever.mode=bm25",
                "lsr.retriever.top-k=5", "lsr.retriever.filter-expression=lang in ['de', 'fr']").run(ctx -> {
            LsrDocumentRetriever r = ctx.getBean(LsrDocumentRetriever.class);
            assertThat(r.mode()).isEqualTo(SearchMode.BM25);
            assertThat(r.topK()).isEqualTo(5);
            assertThat(r.retrieve(new Query("inverted lists"))).extracting(Document::getId).containsExactly("s3", "s4");
        });
        float second = client.search("auto-docs", SearchQuery.text("inverted lists in segments").withMode(SearchMode.BM25)).hits().get(1).score();
        runner.withPropertyValues(url(), "lsr.retriever.collection=auto-docs", "lsr.retriever.mode=bm25",
                "lsr.retriever.min-score=" + (second + 0.001)).run(ctx ->
                assertThat(ctx.getBean(DocumentRetriever.class).retrieve(new Query("inverted lists in segments")))
                        .extracting(Document::getId).containsExactly("s3"));
    }

    @Test
    void twoPropertiesAgainstACollectionWithAModel() {
        LsrServer.assumeTinyModel();
        Fixtures.encoded(client, "auto-model", CollectionSettings.defaultModel());
        runner.withPropertyValues(url(), "lsr.retriever.collection=auto-model").run(ctx -> {
            List<Document> docs = ctx.getBean(DocumentRetriever.class).retrieve(new Query("sparse retrieval"));
            List<Hit> direct = client.search("auto-model", SearchQuery.text("sparse retrieval").withK(4)).hits();
            assertThat(docs).extracting(Document::getId).isEqualTo(direct.stream().map(Hit::id).toList());
            assertThat(docs).extracting(Document::getScore).isEqualTo(direct.stream().map(h -> (double) h.score()).toList());
        });
    }

    @Test
    void withoutAModeTheCollectionsRecommendedSearchRuns() {
        LsrServer.assumeTinyModel();
        // lsr.retriever.mode used to default to approximate, whatever the collection's model recommends.
        String model = LsrServer.zeroShotCopy(server.dataDir(), "auto-zero-shot");
        Fixtures.encoded(client, "auto-recommended", CollectionSettings.model(model));
        runner.withPropertyValues(url(), "lsr.retriever.collection=auto-recommended").run(ctx -> {
            LsrDocumentRetriever r = ctx.getBean(LsrDocumentRetriever.class);
            assertThat(r.mode()).isNull();
            List<Document> docs = r.retrieve(new Query("sparse retrieval"));
            SearchResult hybrid = client.search("auto-recommended", SearchQuery.text("sparse retrieval").withK(4).withMode(SearchMode.HYBRID));
            assertThat(hybrid.mode()).isEqualTo("hybrid");
            assertThat(docs).extracting(Document::getId).isEqualTo(hybrid.hits().stream().map(Hit::id).toList());
            assertThat(docs).extracting(Document::getScore).isEqualTo(hybrid.hits().stream().map(h -> (double) h.score()).toList());
        });
    }

    @Test
    void theWriterPutsSpringAiDocumentsWhereTheRetrieverFindsThemAndDeletesByExpression() {
        LsrServer.assumeTinyModel();
        client.createCollection("auto-written", CollectionSettings.defaultModel());
        // Writes need the service's API key (searches do not).
        runner.withPropertyValues(url(), "lsr.retriever.collection=auto-written", "lsr.retriever.mode=bm25",
                "lsr.retriever.api-key=" + LsrServer.API_KEY).run(ctx -> {
            LsrDocumentWriter writer = ctx.getBean(LsrDocumentWriter.class);
            writer.write(List.of(
                    Document.builder().id("w1").text("Learned sparse retrieval expands documents.").metadata(Map.of("lang", "en", "title", "Sparse")).build(),
                    Document.builder().id("w2").text("Lucene keeps inverted lists in segments.").metadata(Map.of("lang", "de")).build(),
                    Document.builder().id("w3").text("Dense retrieval embeds text.").metadata(Map.of("lang", "en")).build()));
            List<Document> found = ctx.getBean(DocumentRetriever.class).retrieve(new Query("sparse retrieval"));
            assertThat(found).extracting(Document::getId).first().isEqualTo("w1");
            assertThat(found.getFirst().getMetadata()).containsEntry("title", "Sparse").containsEntry("lang", "en");
            assertThat(client.document("auto-written", "w1").orElseThrow().title()).isEqualTo("Sparse");

            // A document the collection refuses (nested metadata) is named; the others are written.
            assertThatThrownBy(() -> writer.write(List.of(
                    Document.builder().id("bad").text("x").metadata(Map.of("nested", Map.of("a", 1))).build(),
                    Document.builder().id("w4").text("BM25 ranks by term frequency.").metadata(Map.of("lang", "fr")).build())))
                    .isInstanceOfSatisfying(LsrWriteException.class, e -> assertThat(e.failures()).singleElement()
                            .satisfies(f -> assertThat(f.id()).isEqualTo("bad")));
            assertThat(client.document("auto-written", "w4")).isPresent();

            assertThat(writer.delete("lang == 'en'")).isEqualTo(2);
            assertThat(client.stats("auto-written").docs()).isEqualTo(2);
        });
    }
}
