package dev.lsr.eval.beir;

import dev.lsr.seismic.SparseVector;
import java.util.Arrays;

/**
 * Turns a document's per-term max logits into its sparse vector:
 * {@code w = log1p(relu(logit - offset))}, masked terms dropped, weights below the threshold
 * dropped, then the {@code topK} largest kept. Offsets are corpus centring (see
 * {@link #percentileOffsets}); without them this is plain SPLADE max pooling.
 */
public final class LogitSparsifier {

    private final float[] offsets;
    private final float threshold;
    private final int topK;
    private final boolean[] masked;

    /**
     * @param offsets per-term centring offsets, or null for none
     * @param masked terms never emitted (special tokens), or null
     * @param topK at most this many terms per vector; 0 = no cap
     */
    public LogitSparsifier(float[] offsets, float threshold, int topK, boolean[] masked) {
        this.offsets = offsets;
        this.threshold = threshold;
        this.topK = topK;
        this.masked = masked;
    }

    public SparseVector sparsify(short[] float16Logits) {
        int dim = float16Logits.length;
        int[] ids = new int[dim];
        float[] ws = new float[dim];
        int n = 0;
        for (int v = 0; v < dim; v++) {
            if (masked != null && masked[v]) {
                continue;
            }
            float x = Float.float16ToFloat(float16Logits[v]) - (offsets == null ? 0f : offsets[v]);
            if (x <= 0f) {
                continue;
            }
            float w = (float) Math.log1p(x);
            if (w <= threshold || !(w > 0f)) {
                continue;
            }
            ids[n] = v;
            ws[n++] = w;
        }
        if (topK > 0 && n > topK) {
            // keep the topK largest weights, ties to the smaller term id, then restore id order
            long[] keyed = new long[n];
            for (int i = 0; i < n; i++) {
                keyed[i] = ((long) Float.floatToIntBits(ws[i]) << 32) | (0xFFFFFFFFL & ~ids[i]);
            }
            Arrays.sort(keyed);
            int[] kid = new int[topK];
            float[] kw = new float[topK];
            for (int i = 0; i < topK; i++) {
                long key = keyed[n - 1 - i];
                kid[i] = ~(int) key;
                kw[i] = Float.intBitsToFloat((int) (key >>> 32));
            }
            return SparseVector.ofUnsorted(kid, kw, dim);
        }
        return SparseVector.wrap(Arrays.copyOf(ids, n), Arrays.copyOf(ws, n), dim);
    }

    /**
     * Per-term offsets: the {@code percentile} (nearest rank, in (0, 100]) of each term's logit
     * over all rows. A term that is high everywhere (a "background" term of the model) is
     * thereby pushed below zero except where it stands out.
     */
    public static float[] percentileOffsets(short[][] rows, double percentile) {
        int docs = rows.length;
        int dim = rows[0].length;
        float[] offsets = new float[dim];
        float[] column = new float[docs];
        int rank = Math.clamp((int) Math.ceil(percentile / 100.0 * docs), 1, docs);
        for (int v = 0; v < dim; v++) {
            for (int d = 0; d < docs; d++) {
                column[d] = Float.float16ToFloat(rows[d][v]);
            }
            Arrays.sort(column);
            offsets[v] = column[rank - 1];
        }
        return offsets;
    }
}
