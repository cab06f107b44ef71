package dev.lsr.seismic.build;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Stage 2 of the build, per list: cluster its surviving postings into blocks. Centroids are
 * sampled at random (seeded per list); each document goes to the centroid with the largest dot
 * product between the document's and the centroid's top {@code docCut} terms, plus the list's own
 * term, which all share. Clusters smaller than {@code minClusterSize} are dissolved and their
 * documents reassigned. Holds per-thread scratch: one instance per build thread.
 */
final class BlockClustering {
    private final BuildParams params;
    private final DocTopTerms top;
    private final int[] head;
    private final int[] touched;
    private int[] entC = new int[1024];
    private float[] entW = new float[1024];
    private int[] entNext = new int[1024];
    private int[] perm = new int[1024];
    private int[] assign = new int[1024];
    private float[] cScore = new float[64];
    private float[] centW = new float[64];
    private int[] cSize = new int[64];
    private int[] cStart = new int[64];

    BlockClustering(BuildParams params, DocTopTerms top, int dim) {
        this.params = params;
        this.top = top;
        this.head = new int[dim];
        Arrays.fill(head, -1);
        this.touched = new int[dim];
    }

    /**
     * Orders {@code docs[0, m)} (with their list weights) into blocks; returns the documents in
     * block order (ascending inside each block) and writes the block sizes into {@code sizesOut[0]}.
     */
    int[] blocks(int t, int[] docs, float[] docW, int m, int[][] sizesOut) {
        int nCent = Math.clamp(Math.round(params.centroidFraction() * m), 1, m);
        if (nCent == 1) {
            int[] order = Arrays.copyOf(docs, m);
            Arrays.sort(order);
            sizesOut[0] = new int[] {m};
            return order;
        }
        int[] sizes = cluster(t, docs, docW, m, nCent);
        int nb = 0;
        for (int c = 0; c < nCent; c++) {
            if (sizes[c] > 0) {
                nb++;
            }
        }
        int[] blockSizes = new int[nb];
        cStart = BuildArrays.grow(cStart, nCent + 1);
        int pos = 0;
        nb = 0;
        for (int c = 0; c < nCent; c++) {
            cStart[c] = pos;
            pos += sizes[c];
            if (sizes[c] > 0) {
                blockSizes[nb++] = sizes[c];
            }
        }
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[cStart[assign[i]]++] = docs[i];
        }
        pos = 0;
        for (int size : blockSizes) {
            Arrays.sort(order, pos, pos + size);
            pos += size;
        }
        sizesOut[0] = blockSizes;
        return order;
    }

    /** Random centroids, assignment by dot product on each document's top terms; returns sizes. */
    private int[] cluster(int t, int[] docs, float[] docW, int m, int nCent) {
        SplittableRandom rnd = new SplittableRandom(params.seed() * 0x9E3779B97F4A7C15L + t);
        perm = BuildArrays.grow(perm, m);
        for (int i = 0; i < m; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < nCent; i++) {
            int j = i + rnd.nextInt(m - i);
            int x = perm[i];
            perm[i] = perm[j];
            perm[j] = x;
        }
        // A small inverted index over the centroids' top terms (the list term excluded: every
        // centroid holds it, so it is scored densely below).
        int ne = 0;
        int nTouched = 0;
        int docCut = params.docCut();
        int width = top.width;
        centW = BuildArrays.grow(centW, nCent);
        for (int c = 0; c < nCent; c++) {
            int cd = docs[perm[c]];
            centW[c] = docW[perm[c]];
            int base = cd * width;
            for (int j = 0; j < docCut; j++) {
                int u = top.ids[base + j];
                if (u < 0) {
                    break;
                }
                if (u == t) {
                    continue;
                }
                if (ne == entC.length) {
                    entC = Arrays.copyOf(entC, ne * 2);
                    entW = Arrays.copyOf(entW, ne * 2);
                    entNext = Arrays.copyOf(entNext, ne * 2);
                }
                if (head[u] == -1) {
                    touched[nTouched++] = u;
                }
                entC[ne] = c;
                entW[ne] = top.weights[base + j];
                entNext[ne] = head[u];
                head[u] = ne++;
            }
        }
        cScore = BuildArrays.grow(cScore, nCent);
        cSize = BuildArrays.grow(cSize, nCent);
        assign = BuildArrays.grow(assign, m);
        Arrays.fill(cSize, 0, nCent, 0);
        for (int i = 0; i < m; i++) {
            assign[i] = nearest(t, docs[i], docW[i], null, nCent);
            cSize[assign[i]]++;
        }
        int minSize = params.minClusterSize();
        int alive = 0;
        int largest = 0;
        for (int c = 0; c < nCent; c++) {
            if (cSize[c] >= minSize) {
                alive++;
            }
            if (cSize[c] > cSize[largest]) {
                largest = c;
            }
        }
        if (alive < nCent) {
            boolean[] dead = new boolean[nCent];
            for (int c = 0; c < nCent; c++) {
                dead[c] = cSize[c] < minSize && !(alive == 0 && c == largest);
            }
            for (int i = 0; i < m; i++) {
                if (dead[assign[i]]) {
                    cSize[assign[i]]--;
                    assign[i] = nearest(t, docs[i], docW[i], dead, nCent);
                    cSize[assign[i]]++;
                }
            }
        }
        for (int i = 0; i < nTouched; i++) {
            head[touched[i]] = -1;
        }
        return Arrays.copyOf(cSize, nCent);
    }

    /**
     * The centroid with the largest dot product, both sides cut to their top terms, plus the
     * list term, which every centroid shares (ties: lower centroid).
     */
    private int nearest(int listTerm, int doc, float listWeight, boolean[] dead, int nCent) {
        for (int c = 0; c < nCent; c++) {
            cScore[c] = listWeight * centW[c];
        }
        int base = doc * top.width;
        for (int j = 0; j < params.docCut(); j++) {
            int u = top.ids[base + j];
            if (u < 0) {
                break;
            }
            if (u == listTerm) {
                continue;
            }
            float w = top.weights[base + j];
            for (int e = head[u]; e != -1; e = entNext[e]) {
                cScore[entC[e]] += w * entW[e];
            }
        }
        int best = -1;
        float bestScore = -1f;
        for (int c = 0; c < nCent; c++) {
            if (cScore[c] > bestScore && (dead == null || !dead[c])) {
                best = c;
                bestScore = cScore[c];
            }
        }
        return best;
    }
}
