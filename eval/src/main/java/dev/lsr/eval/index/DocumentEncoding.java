package dev.lsr.eval.index;

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

/**
 * Gives documents that arrive without a vector (a BEIR corpus) one from the model, encoding
 * {@code title + " " + text} as BEIR does. The encoder is opened on the first such document. Each
 * call hands the whole batch to the model, which sorts it into length buckets (a batch of 1,000
 * SciFact abstracts pads 0.5% of the slots it runs); padding and the documents cut at the
 * model's max tokens are counted for the report.
 */
public final class DocumentEncoding implements AutoCloseable {

    private final String model;
    private final int dim;
    private SparseEncoder encoder;
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

    /** The batch with every missing vector filled in (same order). */
    public List<Document> complete(List<Document> batch) throws IOException {
        List<Integer> missing = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Document d = batch.get(i);
            if (d.vector() == null) {
                missing.add(i);
                String title = d.title() == null ? "" : d.title();
                String text = d.text() == null ? "" : d.text();
                texts.add(title.isEmpty() ? text : text.isEmpty() ? title : title + " " + text);
            }
        }
        if (missing.isEmpty()) {
            return batch;
        }
        long t = System.nanoTime();
        EncodedBatch result = encoder().encodeDocumentBatch(texts);
        List<EncodedText> vectors = result.documents();
        nanos += System.nanoTime() - t;
        encoded += missing.size();
        tokens += result.tokens();
        paddingTokens += result.paddingTokens();
        for (int j = 0; j < missing.size(); j++) {
            if (vectors.get(j).truncated()) {
                truncated++;
                if (truncatedIds.size() < MAX_TRUNCATED_IDS) {
                    truncatedIds.add(batch.get(missing.get(j)).id());
                }
            }
        }
        List<Document> out = new ArrayList<>(batch);
        for (int j = 0; j < missing.size(); j++) {
            Document d = batch.get(missing.get(j));
            out.set(missing.get(j), new Document(d.id(), d.title(), d.text(), d.metadata(), vectors.get(j).vector()));
        }
        return out;
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
        if (encoder != null) {
            encoder.close();
        }
    }
}
