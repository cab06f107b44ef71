package dev.lsr.eval.cli;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before a verb does any work, that the files and directories it will write can be made
 * where the user asked: a report that cannot be written should fail in the first second with a
 * line naming the option, not as an internal error after an hour of encoding.
 */
final class OutputPaths {

    private OutputPaths() {}

    /** {@code file} (given as {@code option}) is or can become a regular file. */
    static void checkFile(String option, Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException(option + " " + file + " is a directory, not a file");
        }
        checkParent(option, file);
    }

    /** {@code dir} (given as {@code option}) is or can become a directory. */
    static void checkDirectory(String option, Path dir) {
        if (dir == null) {
            return;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException(option + " " + dir + " is not a directory");
        }
        checkParent(option, dir);
    }

    /** The nearest existing ancestor must be a directory we may write in. */
    private static void checkParent(String option, Path p) {
        Path at = p.toAbsolutePath().getParent();
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        if (at == null) {
            return;
        }
        if (!Files.isDirectory(at)) {
            throw new BadInputException(option + " " + p + ": " + at + " is a file, not a directory");
        }
        if (!Files.isWritable(at)) {
            throw new BadInputException(option + " " + p + ": cannot write in " + at);
        }
    }
}
