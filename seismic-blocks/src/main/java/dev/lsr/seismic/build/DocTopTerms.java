package dev.lsr.seismic.build;

import java.util.Arrays;

/**
 * Each document's {@code width} largest terms (ties: lower term id), row-major: what clustering
 * compares documents by. Padded with id -1 / weight 0 for shorter documents.
 */
final class DocTopTerms {
    final int width;
    final int[] ids;
    final float[] weights;

    private DocTopTerms(int width, int[] ids, float[] weights) {
        this.width = width;
        this.ids = ids;
        this.weights = weights;
    }

    static DocTopTerms compute(Entries f, int width, int threads) {
        int[] ids = new int[Math.multiplyExact(f.size, width)];
        float[] ws = new float[ids.length];
        Workers.parallel(threads, f.size, 4096, (from, to) -> {
            long[] scratch = new long[64];
            for (int d = from; d < to; d++) {
                scratch = fill(f, d, width, ids, ws, scratch);
            }
        });
        return new DocTopTerms(width, ids, ws);
    }

    private static long[] fill(Entries f, int d, int width, int[] topIds, float[] topWs, long[] scratch) {
        long e0 = f.start(d);
        int len = (int) (f.start(d + 1) - e0);
        if (scratch.length < len) {
            scratch = new long[Math.max(len, scratch.length * 2)];
        }
        for (int i = 0; i < len; i++) {
            int t = f.term(e0 + i);
            // Largest weight first after an ascending sort: negate via the complement of the bits.
            scratch[i] = ((long) ~Float.floatToRawIntBits(f.weight(d, e0 + i)) << 32) | t;
        }
        Arrays.sort(scratch, 0, len);
        int base = d * width;
        for (int i = 0; i < width; i++) {
            if (i < len) {
                topIds[base + i] = (int) scratch[i];
                topWs[base + i] = Float.intBitsToFloat(~(int) (scratch[i] >>> 32));
            } else {
                topIds[base + i] = -1;
                topWs[base + i] = 0f;
            }
        }
        return scratch;
    }
}
