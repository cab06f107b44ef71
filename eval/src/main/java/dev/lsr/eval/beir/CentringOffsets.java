package dev.lsr.eval.beir;

import java.util.Arrays;

/**
 * Per-term centring offsets fitted on a whole corpus of cached logits: the {@code percentile}
 * (nearest rank: the {@code max(1, ceil(p / 100 * n))}-th smallest) of each term's max logit over
 * all documents: the same definition as the encoder's {@code SparseEncoder.centringOffsets}.
 */
public final class CentringOffsets {

    private CentringOffsets() {}

    public static float[] fit(float[][] rows, double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("centring percentile must be in (0, 100], got " + percentile);
        }
        int docs = rows.length;
        int dim = rows[0].length;
        float[] offsets = new float[dim];
        float[] column = new float[docs];
        int rank = Math.max(1, (int) Math.ceil(percentile / 100.0 * docs));
        for (int v = 0; v < dim; v++) {
            for (int d = 0; d < docs; d++) {
                column[d] = rows[d][v];
            }
            Arrays.sort(column);
            offsets[v] = column[rank - 1];
        }
        return offsets;
    }
}
