package dev.lsr.encoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        return plan(lengths, batchSize, 0);
    }

    /**
     * {@link #plan(int[], int)} with a cap on the slots a batch runs: a batch stops growing before its
     * size times its longest length would pass {@code batchTokens} (0 = no cap), so long texts run in
     * fewer per batch (at 512 tokens two, at 256 four, under 128 the full {@code batchSize} with a cap
     * of 1,024). A text longer than the cap runs alone.
     */
    public static int[][] plan(int[] lengths, int batchSize, int batchTokens) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (batchTokens < 0) {
            throw new IllegalArgumentException("batchTokens must be >= 0, got " + batchTokens);
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
        List<int[]> batches = new ArrayList<>();
        int from = 0;
        while (from < live) {
            // Ascending lengths: the text that joins a batch sets its padded length.
            int to = from + 1;
            while (to < live && to - from < batchSize
                    && (batchTokens == 0 || (long) (to - from + 1) * (int) (keys[to] >>> 32) <= batchTokens)) {
                to++;
            }
            int[] batch = new int[to - from];
            for (int j = 0; j < batch.length; j++) {
                batch[j] = (int) keys[from + j];
            }
            batches.add(batch);
            from = to;
        }
        return batches.toArray(new int[0][]);
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
