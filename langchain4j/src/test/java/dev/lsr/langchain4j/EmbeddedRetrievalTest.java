package dev.lsr.langchain4j;

import dev.lsr.client.CollectionSettings;
import dev.lsr.client.EmbeddedLsr;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.testing.LsrServer;
import dev.lsr.engine.EngineOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The retriever and ingestor over an engine in this process (a fresh data directory). */
class EmbeddedRetrievalTest extends RetrievalContract {

    /** Deleted by JUnit after the class (it used to stay in /tmp). */
    @TempDir
    static Path tmp;

    private static EmbeddedLsr lsr;

    @BeforeAll
    static void open() throws IOException {
        lsr = EmbeddedLsr.open(tmp, EngineOptions.defaults()
                .withDefaultModel(LsrServer.hasTinyModel() ? LsrServer.tinyModel().toString() : null).withEncoderThreads(2));
    }

    @AfterAll
    static void close() {
        lsr.close();
    }

    @Override
    LsrOperations lsr() {
        return lsr;
    }

    @Override
    String name(String test) {
        return "embedded-" + test;
    }

    @Override
    CollectionSettings modelSettings() {
        return CollectionSettings.defaultModel(); // the engine's default model is the tiny one
    }

    @Override
    Path dataDir() {
        return tmp;
    }
}
