package dev.lsr.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.client.testing.LsrServer;
import dev.lsr.client.testing.ReadmeExample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md's example, compiled and run against a real lsr serve. */
class ReadmeExampleTest {

    @TempDir
    Path tmp;

    @Test
    void readmeExampleCompilesAndRuns() throws Exception {
        try (LsrServer server = LsrServer.start(Map.of())) {
            List<String> lines = ReadmeExample.run(Path.of("README.md"), tmp, 25, server.uri().toString(), LsrServer.API_KEY);
            assertThat(lines).containsExactly("a 2.0 {year=2021}");
        }
    }
}
