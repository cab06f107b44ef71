package dev.lsr.eval.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Turns a {@code --model} argument into a model directory. */
final class ModelDirs {
    private ModelDirs() {}

    static Path resolve(String model) {
        Path p = Path.of(model);
        if (Files.isDirectory(p)) {
            return p;
        }
        throw new ExitCodes.BadInputException("model " + model + " is not a model directory");
    }
}
