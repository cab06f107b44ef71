package dev.lsr.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.client.CollectionSettings;
import dev.lsr.client.EmbeddedLsr;
import dev.lsr.client.LsrClient;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.testing.LsrServer;
import dev.lsr.engine.EngineOptions;
import dev.lsr.springai.autoconfigure.LsrRetrieverAutoConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * lsr.retriever.data-dir: the collection opened in this process. The same documents, remote (a
 * real lsr serve) and embedded, give the same retrieved documents and scores.
 */
class EmbeddedTest {

    /** The embedded engine's data directory, deleted by JUnit after the class (it used to stay in /tmp). */
    @TempDir
    static Path dataDir;

    private static LsrServer server;
    private static LsrClient client;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LsrRetrieverAutoConfiguration.class));

    @BeforeAll
    static void start() throws Exception {
        server = LsrServer.start(Map.of());
        client = LsrClient.builder(server.uri()).apiKey(LsrServer.API_KEY).build();
        Fixtures.preEncoded(client, "docs");
        try (EmbeddedLsr lsr = EmbeddedLsr.open(dataDir, EngineOptions.defaults()
                .withDefaultModel(LsrServer.hasTinyModel() ? LsrServer.tinyModel().toString() : null).withEncoderThreads(2))) {
            Fixtures.preEncoded(lsr, "docs");
            if (LsrServer.hasTinyModel()) {
                Fixtures.encoded(lsr, "texts", CollectionSettings.defaultModel());
                Fixtures.encoded(client, "texts", CollectionSettings.defaultModel());
            }
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static List<String> describe(List<Document> docs) {
        return docs.stream().map(d -> d.getId() + " " + d.getScore() + " " + d.getText() + " " + new java.util.TreeMap<>(d.getMetadata())).toList();
    }

    private List<String> retrieve(String location, String collection, String mode, String query) {
        String[] props = {location, "lsr.retriever.collection=" + collection, "lsr.retriever.mode=" + mode, "lsr.retriever.top-k=3",
                "lsr.retriever.filter-expression=lang in ['en', 'de', 'fr']"};
        Function<DocumentRetriever, List<String>> run = r -> describe(r.retrieve(new Query(query)));
        List<List<String>> out = new java.util.ArrayList<>();
        runner.withPropertyValues(props).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            if (location.contains("data-dir")) {
                assertThat(ctx.getBean(LsrOperations.class)).isInstanceOf(EmbeddedLsr.class);
            }
            out.add(run.apply(ctx.getBean(DocumentRetriever.class)));
        });
        return out.getFirst();
    }

    @Test
    void embeddedRetrievesWhatRemoteDoes() {
        for (String q : List.of("inverted lists in segments", "inverse document frequency")) {
            List<String> embedded = retrieve("lsr.retriever.data-dir=" + dataDir, "docs", "bm25", q);
            assertThat(embedded).isNotEmpty().isEqualTo(retrieve("lsr.retriever.url=" + server.uri(), "docs", "bm25", q));
        }
        assertThat(retrieve("lsr.retriever.data-dir=" + dataDir, "docs", "bm25", "inverted lists in segments").getFirst()).startsWith("s3 ");
    }

    @Test
    void embeddedWithTheModelRetrievesWhatRemoteDoes() {
        LsrServer.assumeTinyModel();
        for (String mode : List.of("approximate", "exact", "bm25", "hybrid")) {
            List<String> embedded = retrieve("lsr.retriever.data-dir=" + dataDir, "texts", mode, "sparse retrieval");
            assertThat(embedded).as(mode).isNotEmpty().isEqualTo(retrieve("lsr.retriever.url=" + server.uri(), "texts", mode, "sparse retrieval"));
        }
    }
}
