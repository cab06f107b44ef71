package dev.lsr.eval.beir;

import dev.lsr.seismic.SparseVector;
import java.util.List;

/**
 * A model's per-term max logits before activation, for the {@link LogitCache}, and the model's
 * own post-processing of one row, so vectors derived from cached logits are exactly the vectors
 * the encoder would make with those settings.
 */
public interface LogitSource {

    /** Per text: {@code float[dimension()]}, the max over its tokens of each vocabulary logit. */
    List<float[]> maxLogits(List<String> texts);

    /**
     * {@link #maxLogits(List)} telling {@code progress} how many texts each model run finished; a
     * long list lets the model sort it into length buckets with little padding.
     */
    default List<float[]> maxLogits(List<String> texts, java.util.function.IntConsumer progress) {
        List<float[]> rows = maxLogits(texts);
        progress.accept(rows.size());
        return rows;
    }

    /**
     * Per query text: the max logits full-mode queries start from (the model's query body when it
     * has one), one text per model run as {@code encodeQuery} does.
     */
    List<float[]> queryMaxLogits(List<String> texts);

    /** {@link #identity()} plus what else changes {@link #queryMaxLogits} (the query body). */
    String queryIdentity();

    /** A document vector: centred by {@code offsets} (or not, when null), thresholded, capped at {@code topK} (0 = no cap). */
    SparseVector document(float[] logits, float[] offsets, float threshold, int topK);

    /** A full-mode query vector from its logits: centred by {@code offsets} or not, capped at {@code topK} (null: the encoder's default). */
    SparseVector query(float[] logits, float[] offsets, Integer topK);

    /** The encoder's default cap on document terms. */
    int defaultDocumentTopK();

    /** Model checksum and anything else (max tokens) that changes the logits. */
    String identity();

    int dimension();
}
