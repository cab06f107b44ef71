package dev.lsr.encoder.model;

import dev.lsr.encoder.head.HeadDType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Models under a data directory ({@code <data>/models/<name>}). {@link #resolve} turns a
 * {@code --model} / collection {@code model} setting into a verified model directory, importing on
 * first use: the default {@value #DEFAULT_MODEL} from its Maven checkpoint, or a Hugging Face ONNX
 * export given by path. Imports take a file lock, so concurrent processes import once.
 */
public final class ModelRegistry {

    public static final String DEFAULT_MODEL = "bert-base-uncased-mlm";

    private final Path dataDir;
    private final ImportProgress progress;

    public ModelRegistry(Path dataDir, ImportProgress progress) {
        this.dataDir = dataDir;
        this.progress = progress;
    }

    /** {@code $LSR_DATA}, else {@code ./data}. */
    public static Path defaultDataDir() {
        String env = System.getenv("LSR_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("data");
    }

    public Path modelsDir() {
        return dataDir.resolve("models");
    }

    /**
     * @param nameOrPath a model name under the data directory ({@value #DEFAULT_MODEL} is imported on
     *     first use), a model directory, an {@code .onnx} file with {@code tokenizer.json} (or
     *     {@code vocab.txt}) beside it, or a directory holding {@code model.onnx} and its tokenizer
     */
    public Path resolve(String nameOrPath) throws IOException {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p.resolve(ModelInfo.MODEL_JSON))) {
            return p;
        }
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".onnx")) {
            return importExport(p);
        }
        if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("model.onnx"))) {
            return importExport(p.resolve("model.onnx"));
        }
        if (!nameOrPath.matches("[A-Za-z0-9._-]+")) {
            throw new ModelFormatException("model '" + nameOrPath + "': not a model directory (no model.json) nor an .onnx export");
        }
        Path dir = modelsDir().resolve(nameOrPath);
        if (Files.isRegularFile(dir.resolve(ModelInfo.MODEL_JSON))) {
            return dir;
        }
        if (!nameOrPath.equals(DEFAULT_MODEL)) {
            throw new ModelFormatException("model '" + nameOrPath + "': not found under " + modelsDir()
                    + " (import it with lsr model import, or give a model directory path)");
        }
        return importOnce(dir, tmp -> BertImporter.importCheckpoint("maven:" + BertImporter.DEFAULT_ARTIFACT, tmp, DEFAULT_MODEL,
                HeadDType.FP32, progress));
    }

    private Path importExport(Path onnx) throws IOException {
        Path parent = onnx.toAbsolutePath().getParent();
        Path tokenizer = Files.isRegularFile(parent.resolve("tokenizer.json")) ? parent.resolve("tokenizer.json") : parent.resolve("vocab.txt");
        if (!Files.isRegularFile(tokenizer)) {
            throw new ModelFormatException(onnx + ": no tokenizer.json or vocab.txt beside it");
        }
        String stem = onnx.getFileName().toString().replaceAll("\\.onnx$", "");
        String name = stem.equals("model") && parent.getFileName() != null ? parent.getFileName().toString() : stem;
        Path dir = modelsDir().resolve(name);
        if (Files.isRegularFile(dir.resolve(ModelInfo.MODEL_JSON))) {
            return dir;
        }
        return importOnce(dir, tmp -> OnnxImporter.importModel(onnx, tokenizer, tmp, name, HeadDType.FP32));
    }

    @FunctionalInterface
    private interface Importer {
        void importTo(Path tmp) throws IOException;
    }

    /** Imports into a temp sibling under a file lock, then renames into place. */
    private Path importOnce(Path dir, Importer importer) throws IOException {
        Files.createDirectories(modelsDir());
        Path lockFile = modelsDir().resolve("." + dir.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            if (Files.isRegularFile(dir.resolve(ModelInfo.MODEL_JSON))) {
                return dir; // another process imported it while we waited
            }
            Path tmp = modelsDir().resolve("." + dir.getFileName() + ".importing-" + ProcessHandle.current().pid());
            deleteTree(tmp);
            try {
                importer.importTo(tmp);
                deleteTree(dir);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(tmp);
            }
            return dir;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
