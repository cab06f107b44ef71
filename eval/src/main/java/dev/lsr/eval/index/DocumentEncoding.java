package dev.lsr.eval.index;

import dev.lsr.encoder.DocumentPipeline;
import dev.lsr.encoder.EncodedBatch;
import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.index.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Gives documents that arrive without a vector (a BEIR corpus) one from the model, encoding
 * {@code title + " " + text} as BEIR does. The encoder is opened on the first such document. Each
 * call hands the whole batch to the model, which sorts it into length buckets (a batch of 1,000
 * SciFact abstracts pads 0.5% of the slots it runs); padding and the documents cut at the
 * model's max tokens are counted for the report. Windows go through a {@link DocumentPipeline}:
 * {@link #start} tokenises one on a helper thread while {@link #finish} runs the model on the one
 * before, with exactly the vectors of encoding each window alone.
 */
public final class DocumentEncoding implements AutoCloseable {

    private final String model;
    private final int dim;
    private SparseEncoder encoder;
    private DocumentPipeline pipeline;
    private long encoded;
    private long nanos;
    private long tokens;
    private long paddingTokens;
    private final List<String> truncatedIds = new ArrayList<>();
    private long truncated;

    /** Truncated document ids listed in the report at most; the count covers them all. */
    public static final int MAX_TRUNCATED_IDS = 1000;

    public DocumentEncoding(String model, int dim) {
        this.model = model;
        this.dim = dim;
    }

    /**
     * A window of documents whose missing vectors are being made: its texts are tokenised on the
     * pipeline's helper thread from {@link #start} on, and the model runs in {@link #finish}.
     */
    public static final class Window {
        private final List<Document> batch;
        private final List<Integer> missing;
        private final DocumentPipeline.Pending pending;

        private Window(List<Document> batch, List<Integer> missing, DocumentPipeline.Pending pending) {
            this.batch = batch;
            this.missing = missing;
            this.pending = pending;
        }

        /** Documents in the window. */
        public int size() {
            return batch.size();
        }

        /** Documents the model will encode (those without a vector). */
        public int toEncode() {
            return missing.size();
        }
    }

    /** The batch with every missing vector filled in (same order): {@link #finish}{@code (}{@link #start}{@code (batch))}. */
    public List<Document> complete(List<Document> batch) throws IOException {
        return finish(start(batch), done -> { });
    }

    /**
     * Starts a window: its texts (if any document lacks a vector) are tokenised on a helper thread,
     * so that the caller can run the model on the window before it meanwhile ({@link #finish}).
     */
    public Window start(List<Document> batch) throws IOException {
        List<Document> docs = List.copyOf(batch);
        List<Integer> missing = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Document d = docs.get(i);
            if (d.vector() == null) {
                missing.add(i);
                String title = d.title() == null ? "" : d.title();
                String text = d.text() == null ? "" : d.text();
                texts.add(title.isEmpty() ? text : text.isEmpty() ? title : title + " " + text);
            }
        }
        return new Window(docs, missing, missing.isEmpty() ? null : pipeline().submit(texts));
    }

    /**
     * The window with every missing vector filled in (same order), the model run on the calling
     * thread; {@code progress} hears how many documents each model run finished.
     */
    public List<Document> finish(Window w, IntConsumer progress) {
        if (w.missing.isEmpty()) {
            return w.batch;
        }
        List<Integer> missing = w.missing;
        long t = System.nanoTime();
        EncodedBatch result = pipeline.encode(w.pending, progress);
        List<EncodedText> vectors = result.documents();
        nanos += System.nanoTime() - t;
        encoded += missing.size();
        tokens += result.tokens();
        paddingTokens += result.paddingTokens();
        for (int j = 0; j < missing.size(); j++) {
            if (vectors.get(j).truncated()) {
                truncated++;
                if (truncatedIds.size() < MAX_TRUNCATED_IDS) {
                    truncatedIds.add(w.batch.get(missing.get(j)).id());
                }
            }
        }
        List<Document> out = new ArrayList<>(w.batch);
        for (int j = 0; j < missing.size(); j++) {
            Document d = w.batch.get(missing.get(j));
            out.set(missing.get(j), new Document(d.id(), d.title(), d.text(), d.metadata(), vectors.get(j).vector()));
        }
        return out;
    }

    private DocumentPipeline pipeline() throws IOException {
        if (pipeline == null) {
            pipeline = new DocumentPipeline(encoder());
        }
        return pipeline;
    }

    private SparseEncoder encoder() throws IOException {
        if (encoder == null) {
            Path dir = Path.of(model);
            if (!Files.isDirectory(dir)) {
                throw new BadInputException("--model " + model + " is not a model directory (documents without vectors must be encoded)");
            }
            encoder = SparseEncoder.open(dir, EncoderOptions.defaults(ModelDirectory.open(dir)));
            if (encoder.info().vocabSize() > dim) {
                throw new BadInputException("model " + model + " has " + encoder.info().vocabSize()
                        + " terms but the collection's vocabulary has " + dim);
            }
        }
        return encoder;
    }

    public long encoded() {
        return encoded;
    }

    public double seconds() {
        return nanos / 1e9;
    }

    /** Padding slots over all slots the model ran (0 before any document was encoded). */
    public double paddingFraction() {
        return tokens + paddingTokens == 0 ? 0 : (double) paddingTokens / (tokens + paddingTokens);
    }

    /** Documents cut at the model's max tokens. */
    public long truncated() {
        return truncated;
    }

    /** Their ids, the first {@value #MAX_TRUNCATED_IDS}. */
    public List<String> truncatedIds() {
        return List.copyOf(truncatedIds);
    }

    /** The model's max tokens, 0 before the encoder is opened. */
    public int maxTokens() {
        return encoder == null ? 0 : encoder.info().maxTokens();
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (encoder != null) {
            encoder.close();
        }
    }
}
