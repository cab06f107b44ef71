package dev.lsr.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.client.LsrClient;
import dev.lsr.client.testing.LsrServer;
import dev.lsr.client.testing.ReadmeExample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md's example, compiled and run against a real lsr serve holding the fixture documents. */
class ReadmeExampleTest {

    @TempDir
    Path tmp;

    @Test
    void readmeExampleCompilesAndRuns() throws Exception {
        try (LsrServer server = LsrServer.start(Map.of());
                LsrClient client = LsrClient.builder(server.uri()).apiKey(LsrServer.API_KEY).build()) {
            Fixtures.preEncoded(client, "docs");
            List<String> lines = ReadmeExample.run(Path.of("README.md"), tmp, 25, server.uri().toString());
            assertThat(lines).containsExactly("s3 Lucene keeps inverted lists in segments.");
        }
    }
}
