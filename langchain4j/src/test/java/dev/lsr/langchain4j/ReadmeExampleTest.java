package dev.lsr.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.client.testing.LsrServer;
import dev.lsr.client.testing.ReadmeExample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md's example, compiled and run with the tiny model in a fresh data directory. */
class ReadmeExampleTest {

    @TempDir
    Path tmp;

    @Test
    void readmeExampleCompilesAndRuns() throws Exception {
        LsrServer.assumeTinyModel();
        List<String> lines = ReadmeExample.run(Path.of("README.md"), tmp, 20, tmp.resolve("data").toString(),
                LsrServer.tinyModel().toString());
        assertThat(lines).containsExactly("Learned sparse retrieval expands documents with related terms. en");
    }
}
