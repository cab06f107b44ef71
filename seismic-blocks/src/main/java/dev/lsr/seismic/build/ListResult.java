package dev.lsr.seismic.build;

/**
 * One posting list after pruning, clustering and summarising: documents in block order, block
 * sizes, and per block its summary (entries sorted by term id, u8 weights, f32 scale).
 */
record ListResult(int[] blockSizes, int[] docs, int[] summaryLens, int[] summaryIds,
        byte[] summaryWeights, float[] summaryScales) {
    static final ListResult EMPTY = new ListResult(new int[0], new int[0], new int[0], new int[0], new byte[0], new float[0]);
}
