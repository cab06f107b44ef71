package dev.lsr.seismic.build;

import java.util.Arrays;

/**
 * Builds one list at a time from its pruning candidates: keeps the largest {@code keep} weights
 * (ties: earlier document), clusters them into blocks and summarises each block. One per build
 * thread (it owns the scratch of the stages it runs).
 */
final class ListBuilder {
    private final StaticPruning.PrunedLists pruned;
    private final BlockClustering clustering;
    private final BlockSummaries summaries;
    private long[] packed = new long[1024];
    private final int[][] sizes = new int[1][];

    ListBuilder(StaticPruning.PrunedLists pruned, BlockClustering clustering, BlockSummaries summaries) {
        this.pruned = pruned;
        this.clustering = clustering;
        this.summaries = summaries;
    }

    ListResult build(int t) {
        int c0 = (int) pruned.candStart()[t];
        int c1 = (int) pruned.candStart()[t + 1];
        int keepCount = pruned.keep()[t];
        if (keepCount == 0 || c1 == c0) {
            return ListResult.EMPTY;
        }
        int[] candDoc = pruned.candDoc();
        float[] candW = pruned.candW();
        int nc = c1 - c0;
        int m = Math.min(keepCount, nc);
        int[] docs = new int[m];
        float[] docW = new float[m];
        if (m == nc) {
            System.arraycopy(candDoc, c0, docs, 0, m);
            System.arraycopy(candW, c0, docW, 0, m);
        } else {
            packed = BuildArrays.grow(packed, nc);
            for (int i = 0; i < nc; i++) {
                packed[i] = ((long) Float.floatToRawIntBits(candW[c0 + i]) << 32) | (Integer.MAX_VALUE - i);
            }
            Arrays.sort(packed, 0, nc);
            for (int i = 0; i < m; i++) {
                int at = c0 + (Integer.MAX_VALUE - (int) packed[nc - 1 - i]);
                docs[i] = candDoc[at];
                docW[i] = candW[at];
            }
        }
        int[] order = clustering.blocks(t, docs, docW, m, sizes);
        return summaries.summarise(sizes[0], order);
    }
}
