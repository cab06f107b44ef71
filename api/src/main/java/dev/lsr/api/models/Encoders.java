package dev.lsr.api.models;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models this service encodes with, each opened once (on first use) and shared by every
 * collection that names it. Importing and locating models is the encoder's {@link ModelRegistry};
 * this class only keeps the opened encoders and closes them at shutdown.
 */
public final class Encoders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Encoders.class);

    private final Path modelsDir;
    private final int threads;
    private final Map<String, SparseEncoder> open = new LinkedHashMap<>();
    private boolean closed;

    public Encoders(Path dataDir, int threads) {
        this.modelsDir = dataDir.resolve("models");
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The name under which a model is known in the data directory, importing it first when
     * {@code nameOrPath} is a path (or the default model, not yet imported).
     *
     * @throws UnknownModelException when it is neither an imported model nor an importable path
     */
    public String resolve(String nameOrPath) {
        try {
            return locate(nameOrPath).getFileName().toString();
        } catch (IOException | IllegalArgumentException e) {
            throw new UnknownModelException("model '" + nameOrPath + "': " + e.getMessage(), e);
        }
    }

    /** The opened encoder of an imported model (by name), opening it on first use. */
    public synchronized SparseEncoder get(String name) {
        if (closed) {
            throw new IllegalStateException("the service is shutting down");
        }
        SparseEncoder e = open.get(name);
        if (e == null) {
            try {
                Path dir = locate(name);
                long t0 = System.nanoTime();
                ModelInfo info = ModelDirectory.open(dir);
                e = SparseEncoder.open(dir, EncoderOptions.defaults(info).withThreads(threads));
                LOG.info("model '{}' loaded from {} in {} ms", name, dir, (System.nanoTime() - t0) / 1_000_000);
            } catch (IOException | IllegalArgumentException ex) {
                throw new UnknownModelException("model '" + name + "' cannot be loaded: " + ex.getMessage(), ex);
            }
            open.put(name, e);
        }
        return e;
    }

    // TODO(api): replace by the encoder's ModelRegistry once it is on main (it also imports the default BERT model).
    private synchronized Path locate(String nameOrPath) throws IOException {
        Path named = modelsDir.resolve(nameOrPath).normalize();
        if (named.getParent() != null && named.getParent().equals(modelsDir.normalize()) && Files.isRegularFile(named.resolve(ModelInfo.MODEL_JSON))) {
            return named;
        }
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p.resolve(ModelInfo.MODEL_JSON))) {
            return p;
        }
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".onnx")) {
            String name = p.toAbsolutePath().getParent().getFileName().toString();
            Path out = modelsDir.resolve(name);
            if (!Files.isRegularFile(out.resolve(ModelInfo.MODEL_JSON))) {
                Files.createDirectories(modelsDir);
                OnnxImporter.importModel(p, p.resolveSibling("tokenizer.json"), out, name, HeadDType.FP32);
            }
            return out;
        }
        throw new IllegalArgumentException("no model named '" + nameOrPath + "' under " + modelsDir + " and no model directory or ONNX file at that path");
    }

    /** Names of the models opened so far. */
    public synchronized List<String> loaded() {
        return List.copyOf(open.keySet());
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (SparseEncoder e : open.values()) {
            e.close();
        }
        open.clear();
    }
}
