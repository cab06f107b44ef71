package dev.lsr.eval.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output paths are checked before a verb works: what cannot be written is refused naming the option. */
class OutputPathsTest {

    @TempDir
    Path tmp;

    @Test
    void filesAndDirectoriesThatCanBeMadeAreAccepted() throws IOException {
        Path existing = Files.writeString(tmp.resolve("old.json"), "{}");
        assertThatCode(() -> {
            OutputPaths.checkFile("--json", tmp.resolve("a/b/c/report.json"));
            OutputPaths.checkFile("--json", existing);
            OutputPaths.checkFile("--json", null);
            OutputPaths.checkDirectory("--report", tmp.resolve("x/y"));
            OutputPaths.checkDirectory("--report", tmp);
            OutputPaths.checkDirectory("--report", null);
        }).doesNotThrowAnyException();
    }

    @Test
    void whatCannotBeWrittenIsRefusedNamingTheOption() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
        assertThatThrownBy(() -> OutputPaths.checkFile("--json", file.resolve("deeper/r.json")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--json " + file.resolve("deeper/r.json") + ": " + file.toAbsolutePath() + " is a file, not a directory");
        assertThatThrownBy(() -> OutputPaths.checkFile("--run", tmp))
                .isInstanceOf(BadInputException.class).hasMessage("--run " + tmp + " is a directory, not a file");
        assertThatThrownBy(() -> OutputPaths.checkDirectory("--cache", file))
                .isInstanceOf(BadInputException.class).hasMessage("--cache " + file + " is not a directory");
        assertThatThrownBy(() -> OutputPaths.checkDirectory("--save", file.resolve("sub")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("is a file, not a directory");
    }
}
