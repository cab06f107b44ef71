package dev.lsr.encoder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.OnnxImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared tiny masked-LM, imported once per test JVM. */
public final class TinyModel {

    private static Path imported;

    private TinyModel() {}

    public static Path shared() {
        return Path.of(System.getProperty("lsr.shared", "../../shared"));
    }

    public static Path onnx() {
        Path p = shared().resolve("models/tiny-mlm/model.onnx");
        assumeTrue(Files.isRegularFile(p), "skipped: " + p + " is absent");
        return p;
    }

    public static Path tokenizer() {
        Path p = shared().resolve("models/tiny-mlm/tokenizer.json");
        assumeTrue(Files.isRegularFile(p), "skipped: " + p + " is absent");
        return p;
    }

    /** A fresh import of the tiny model into a temp directory. */
    public static Path importTo(Path dir) {
        try {
            OnnxImporter.importModel(onnx(), tokenizer(), dir, "tiny-mlm", HeadDType.FP32);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One shared import (read-only use). */
    public static synchronized Path dir() {
        if (imported == null) {
            try {
                Path tmp = Files.createTempDirectory("lsr-tiny-");
                // Read-only to the tests that share it, so nothing writes while the JVM exits.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(tmp)));
                imported = importTo(tmp.resolve("tiny-mlm"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return imported;
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("TinyModel: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
