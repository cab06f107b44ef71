package dev.lsr.opensearch.encode;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.opensearch.vocab.ModelVocabularies;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The lsr encoders a node runs: an lsr model directory ({@code model.json}, {@code body.onnx},
 * {@code head.bin}, the tokenizer; what {@code lsr model import} writes) under
 * {@code <config>/lsr-models/<name>/}, opened once per name and node with the encoding defaults
 * its {@code model.json} records (inference-free queries when it says so and ships
 * {@code query_weights.json}), one ONNX Runtime thread per call: OpenSearch's thread pools give
 * the parallelism. Shared by the ingest processor and text queries; closed with the plugin.
 */
public final class ModelEncoders implements Closeable {

    private final ModelVocabularies directories;
    private final ConcurrentMap<String, SparseEncoder> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ModelEncoders(ModelVocabularies directories) {
        this.directories = directories;
    }

    /**
     * The directory of model {@code name} after checking it holds {@code model.json}, without
     * loading the model; {@code parameter} names the mapping or processor parameter in errors.
     */
    public Path checkedDirectory(String parameter, String name) {
        Path dir = directories.directory(parameter, name);
        if (!Files.isRegularFile(dir.resolve(ModelInfo.MODEL_JSON))) {
            throw new IllegalArgumentException("[" + parameter + "] [" + name + "]: " + dir + " is not an lsr model directory"
                    + " (no " + ModelInfo.MODEL_JSON + "; copy the directory `lsr model import` wrote to every node)");
        }
        return dir;
    }

    /** The encoder of model {@code name}, opened on first use. */
    public SparseEncoder get(String parameter, String name) {
        if (closed) {
            throw new IllegalStateException("the node is closing");
        }
        Path dir = checkedDirectory(parameter, name);
        return open.computeIfAbsent(name, n -> {
            try {
                return SparseEncoder.open(dir, info -> EncoderOptions.defaults(info).withThreads(1));
            } catch (IOException e) {
                throw new UncheckedIOException("[" + parameter + "] [" + n + "]: cannot open " + dir + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("[" + parameter + "] [" + n + "]: cannot open " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        for (SparseEncoder e : open.values()) {
            e.close();
        }
        open.clear();
    }
}
