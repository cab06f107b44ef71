package dev.lsr.encoder.head;

/**
 * The unoptimised head: plain scalar loops over {@link HeadWeights#weight}, accumulating in double.
 * It defines what {@link FusedHead} must compute and is what the tests compare against.
 */
public final class ReferenceHead {

    private final HeadWeights w;

    public ReferenceHead(HeadWeights w) {
        this.w = w;
    }

    /** Same contract as {@link FusedHead#maxLogits}. */
    public void maxLogits(float[] hidden, int batch, int tokens, int[] mask, float[] out) {
        int h = w.hidden();
        int vocab = w.vocab();
        FusedHead.checkArgs(hidden, batch, tokens, mask, out, h, vocab);
        for (int b = 0; b < batch; b++) {
            for (int v = 0; v < vocab; v++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < tokens; t++) {
                    if (mask[b * tokens + t] == 0) {
                        continue;
                    }
                    int row = (b * tokens + t) * h;
                    double dot = w.bias(v);
                    for (int k = 0; k < h; k++) {
                        dot += (double) hidden[row + k] * w.weight(v, k);
                    }
                    max = Math.max(max, dot);
                }
                out[b * vocab + v] = (float) max;
            }
        }
    }
}
