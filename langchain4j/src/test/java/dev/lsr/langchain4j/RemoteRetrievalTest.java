package dev.lsr.langchain4j;

import dev.lsr.client.CollectionSettings;
import dev.lsr.client.LsrClient;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.testing.LsrServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The retriever and ingestor against a real {@code lsr serve} on a random port, through the client. */
class RemoteRetrievalTest extends RetrievalContract {

    private static LsrServer server;
    private static LsrClient client;

    @BeforeAll
    static void start() {
        server = LsrServer.start(Map.of());
        client = LsrClient.builder(server.uri()).apiKey(LsrServer.API_KEY).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Override
    LsrOperations lsr() {
        return client;
    }

    @Override
    String name(String test) {
        return "remote-" + test;
    }

    @Override
    CollectionSettings modelSettings() {
        return CollectionSettings.defaultModel(); // the server's default model is the tiny one
    }

    @Override
    java.nio.file.Path dataDir() {
        return server.dataDir();
    }
}
