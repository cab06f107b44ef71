package dev.lsr.encoder.head;

/**
 * The real tokens' hidden states of one {@link FusedHead} call, regrouped for its register tile:
 * each sequence's real tokens in tiles of {@link #TILE}, a tile stored hidden index by hidden index
 * ({@code x[(tile * hidden + k) * TILE + i]} is token i's value at k). The kernel then broadcasts
 * consecutive floats through one index instead of keeping a row offset per token (eight of them
 * left too few registers: C2 spilled half of the accumulators to the stack in the inner loop).
 * A short last tile repeats the sequence's last real token, which leaves the max unchanged.
 *
 * <p>Mutable scratch owned by one calling thread, reused across calls (grown, never shrunk), so a
 * warm call allocates nothing; the threads that share out the call's panels only read it.
 */
final class TokenTiles {

    /** Tokens per register tile (see the kernels' comment in {@link FusedHead}). */
    static final int TILE = 4;

    private float[] x = new float[0];
    private int[] start = new int[1];
    /** Where the kernel writes the last panel's 32 rows when the vocabulary ends inside it. */
    private final float[] spare = new float[HeadFile.PANEL];

    /**
     * Packs the real tokens of {@code batch} sequences of {@code tokens} slots each.
     *
     * @return the number of real tokens in all
     */
    long pack(float[] hidden, int batch, int tokens, int[] mask, int h) {
        if (start.length < batch + 1) {
            start = new int[batch + 1];
        }
        int tiles = 0;
        long allReal = 0;
        for (int b = 0; b < batch; b++) {
            start[b] = tiles;
            int real = 0;
            for (int t = 0; t < tokens; t++) {
                real += mask[b * tokens + t] != 0 ? 1 : 0;
            }
            tiles += (real + TILE - 1) / TILE;
            allReal += real;
        }
        start[batch] = tiles;
        long floats = (long) tiles * TILE * h;
        if (floats > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many real tokens for one call: " + (long) tiles * TILE);
        }
        if (x.length < floats) {
            x = new float[(int) floats];
        }
        for (int b = 0; b < batch; b++) {
            int tile = start[b];
            int slot = 0;
            int last = -1;
            for (int t = 0; t < tokens; t++) {
                if (mask[b * tokens + t] == 0) {
                    continue;
                }
                last = (b * tokens + t) * h;
                copy(hidden, last, tile, slot, h);
                if (++slot == TILE) {
                    slot = 0;
                    tile++;
                }
            }
            for (; slot > 0 && slot < TILE; slot++) {
                copy(hidden, last, tile, slot, h);
            }
        }
        return allReal;
    }

    private void copy(float[] hidden, int from, int tile, int slot, int h) {
        int to = tile * h * TILE + slot;
        for (int k = 0; k < h; k++, to += TILE) {
            x[to] = hidden[from + k];
        }
    }

    /** The packed values; valid until the next {@link #pack}. */
    float[] values() {
        return x;
    }

    /**
     * Room for one panel's rows, for the panel the vocabulary ends in: only one thread runs that
     * panel, for one sequence at a time, and copies the real rows out before the next.
     */
    float[] spareRows() {
        return spare;
    }

    /** First tile of sequence {@code b}; its tiles end where sequence {@code b + 1}'s start. */
    int start(int b) {
        return start[b];
    }
}
