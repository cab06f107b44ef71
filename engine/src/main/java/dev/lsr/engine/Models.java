package dev.lsr.engine;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ImportProgress;
import dev.lsr.encoder.model.ModelRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models an engine encodes with, each opened once (on first use) and shared by every
 * collection that names it. Importing and locating models is the encoder's {@link ModelRegistry};
 * this class keeps the opened encoders and closes them with the engine.
 */
public final class Models implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Models.class);

    private final ModelRegistry registry;
    private final int threads;
    private final Map<String, SparseEncoder> open = new LinkedHashMap<>();
    private boolean closed;

    Models(Path dataDir, ImportProgress progress, int threads) {
        this.registry = new ModelRegistry(dataDir, progress);
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The name under which a model is known in the data directory, importing it first when
     * {@code nameOrPath} is a path to an ONNX export (or the default model, not yet imported). A model
     * directory outside the data directory is known by its absolute path.
     *
     * @throws UnknownModelException when it is neither an imported model nor an importable path
     */
    public String resolve(String nameOrPath) {
        try {
            Path dir = registry.resolve(nameOrPath).toAbsolutePath().normalize();
            Path models = registry.modelsDir().toAbsolutePath().normalize();
            return models.equals(dir.getParent()) ? dir.getFileName().toString() : dir.toString();
        } catch (IOException | IllegalArgumentException e) {
            // The registry's own refusals already name the model; say it once.
            String named = "model '" + nameOrPath + "'";
            String m = String.valueOf(e.getMessage());
            throw new UnknownModelException(m.startsWith(named) ? m : named + ": " + m, e);
        }
    }

    /** The opened encoder of a resolved model (by name), opened with the model's recorded defaults on first use. */
    public synchronized SparseEncoder get(String name) {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        SparseEncoder e = open.get(name);
        if (e == null) {
            try {
                Path dir = registry.resolve(name);
                long t0 = System.nanoTime();
                e = SparseEncoder.open(dir, info -> EncoderOptions.defaults(info).withThreads(threads));
                LOG.info("model '{}' loaded from {} in {} ms", name, dir, (System.nanoTime() - t0) / 1_000_000);
            } catch (IOException | IllegalArgumentException ex) {
                throw new UnknownModelException("model '" + name + "' cannot be loaded: " + ex.getMessage(), ex);
            }
            open.put(name, e);
        }
        return e;
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
