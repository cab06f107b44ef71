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

    /** A document vector: centred by {@code offsets} (or not, when null), thresholded, capped at {@code topK} (0 = no cap). */
    SparseVector document(float[] logits, float[] offsets, float threshold, int topK);

    /** A full-mode query vector from its logits: centred by {@code offsets} or not, capped at {@code topK}. */
    SparseVector query(float[] logits, float[] offsets, int topK);

    /** Model checksum and anything else (max tokens) that changes the logits. */
    String identity();

    int dimension();
}
