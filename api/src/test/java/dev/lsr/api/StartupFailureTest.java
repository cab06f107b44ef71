package dev.lsr.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.api.config.DataDirectoryLock;
import dev.lsr.api.config.DataDirectoryLock.DataDirectoryException;
import dev.lsr.api.config.LsrProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start refused by its settings (the data directory, the default model) says what is wrong and
 * what to do, without a stack trace, and exits 2 as every lsr verb; one service per data directory.
 */
class StartupFailureTest {

    @TempDir
    Path tmp;

    @Test
    void oneServicePerDataDirectory() throws Exception {
        Path data = tmp.resolve("data");
        try (DataDirectoryLock first = DataDirectoryLock.acquire(data)) {
            assertThat(data.resolve(".serve.lock")).content().startsWith("pid " + ProcessHandle.current().pid() + " since ");
            assertThatThrownBy(() -> DataDirectoryLock.acquire(data)).isInstanceOf(DataDirectoryException.class)
                    .hasMessage("data directory " + data.toAbsolutePath() + " is in use by another lsr serve ("
                            + Files.readString(data.resolve(".serve.lock")) + ")");
        }
        DataDirectoryLock.acquire(data).close();
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertThatThrownBy(() -> DataDirectoryLock.acquire(file.resolve("data"))).isInstanceOf(DataDirectoryException.class)
                .hasMessageContaining("cannot be used").hasMessageContaining("Not a directory");
    }

    /** The lock of another process (this test JVM) refuses a second service, exit 2, no stack trace. */
    @Test
    void aSecondServiceOnTheSameDataDirectoryExitsTwoSayingWhy() throws Exception {
        Path data = tmp.resolve("served");
        try (DataDirectoryLock held = DataDirectoryLock.acquire(data)) {
            Started s = serve("--data", data.toString(), "--lsr.default-model=none");
            assertThat(s.exit).as(s.output).isEqualTo(2);
            assertThat(s.output).contains("APPLICATION FAILED TO START")
                    .contains("The data directory " + data.toAbsolutePath() + " is in use by another lsr serve (pid "
                            + ProcessHandle.current().pid())
                    .contains("Stop that service, or give this one another --data (lsr.data-dir) directory.")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void aDefaultModelThatIsNotThereExitsTwoSayingWhy() throws Exception {
        Started s = serve("--data", tmp.resolve("data").toString(), "--lsr.default-model=" + tmp.resolve("absent-model"));
        assertThat(s.exit).as(s.output).isEqualTo(2);
        assertThat(s.output).contains("APPLICATION FAILED TO START")
                .contains("The default model cannot be loaded: model '" + tmp.resolve("absent-model") + "': not a model directory")
                .contains("--lsr.default-model=none")
                .doesNotContain("\tat ");
    }

    @Test
    void aPropertyOutOfRangeExitsTwoNamingIt() throws Exception {
        // lsr.limits.max-k=0 started a service that refused every search; a negative thread count
        // failed inside the engine's bean with a stack trace and exit 1.
        Started s = serve("--data", tmp.resolve("data").toString(), "--lsr.default-model=none", "--lsr.limits.max-k=0",
                "--lsr.search-threads=-1");
        assertThat(s.exit).as(s.output).isEqualTo(2);
        assertThat(s.output).contains("APPLICATION FAILED TO START")
                .containsAnyOf("lsr.limits.max-k must be >= 1, was 0", "lsr.search-threads must be >= 0, was -1")
                .doesNotContain("\tat ");
        assertThatThrownBy(() -> new LsrProperties.Jobs(0, 256, 100, 100, 1024, 60)).hasMessage("lsr.jobs.threads must be >= 1, was 0");
        // A read key without a write key (writes open, reads guarded) failed in the filter's bean with a stack trace.
        assertThatThrownBy(() -> new LsrProperties(Path.of("data"), "none", null, "r", 0, 1, 0, 0, null, null))
                .hasMessage("lsr.read-api-key is set but lsr.api-key is not: set both (the write key also allows reads)");
        assertThatThrownBy(() -> new LsrProperties.Limits(1, 1, 1, 1, 0, 1, 0, 0))
                .hasMessage("lsr.limits.max-concurrent-searches must be >= 1, was 0");
    }

    private record Started(int exit, String output) {}

    private Started serve(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(ChildService.launch("256m"));
        cmd.addAll(List.of("--port", "0", "--spring.jmx.enabled=false"));
        cmd.addAll(List.of(args));
        Path log = tmp.resolve("serve-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lsr serve did not exit: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Started(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
