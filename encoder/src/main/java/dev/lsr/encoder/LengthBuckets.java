package dev.lsr.encoder;

import java.util.Arrays;

/**
 * Batches of texts of similar length: indices sorted by token count (ties in input order), cut
 * into runs of at most {@code batchSize}. A batch is padded to its longest text, so sorting the
 * whole list first leaves only the small differences inside each run as padding.
 */
public final class LengthBuckets {

    private LengthBuckets() {}

    /**
     * @param lengths token count per text; negative = no text (left out of every batch)
     * @return the batches, each a list of input indices in ascending length
     */
    public static int[][] plan(int[] lengths, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int live = 0;
        for (int len : lengths) {
            live += len >= 0 ? 1 : 0;
        }
        // Sort (length, index) pairs packed in a long: stable by index without boxing.
        long[] keys = new long[live];
        int k = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] >= 0) {
                keys[k++] = ((long) lengths[i] << 32) | i;
            }
        }
        Arrays.sort(keys);
        int[][] batches = new int[(live + batchSize - 1) / batchSize][];
        for (int b = 0; b < batches.length; b++) {
            int from = b * batchSize;
            int[] batch = new int[Math.min(batchSize, live - from)];
            for (int j = 0; j < batch.length; j++) {
                batch[j] = (int) keys[from + j];
            }
            batches[b] = batch;
        }
        return batches;
    }

    /** Padding slots the batches run: per batch, its longest length times its size, less the real tokens. */
    public static long paddingSlots(int[] lengths, int[][] batches) {
        long pad = 0;
        for (int[] batch : batches) {
            int max = 0;
            for (int i : batch) {
                max = Math.max(max, lengths[i]);
            }
            for (int i : batch) {
                pad += max - lengths[i];
            }
        }
        return pad;
    }
}
