package dev.lsr.seismic.search;

import java.util.Arrays;

/**
 * Bounded min-heap of (ordinal, score) keeping the k best: higher score wins, equal scores prefer
 * the lower ordinal. Reusable and allocation-free once its capacity covers k.
 */
final class TopKHeap {
    private int[] ords = new int[16];
    private float[] scores = new float[16];
    private int k;
    private int size;

    void reset(int k) {
        if (k > ords.length) {
            ords = new int[k];
            scores = new float[k];
        }
        this.k = k;
        this.size = 0;
    }

    boolean full() {
        return size == k;
    }

    int size() {
        return size;
    }

    /** The k-th best score; meaningful only when {@link #full()}. */
    float kth() {
        return scores[0];
    }

    int ordAt(int i) {
        return ords[i];
    }

    /** {@code a} ranks below {@code b}. */
    private static boolean worse(float sa, int oa, float sb, int ob) {
        return sa < sb || (sa == sb && oa > ob);
    }

    void offer(int ord, float score) {
        if (size < k) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!worse(score, ord, scores[parent], ords[parent])) {
                    break;
                }
                ords[i] = ords[parent];
                scores[i] = scores[parent];
                i = parent;
            }
            ords[i] = ord;
            scores[i] = score;
        } else if (worse(scores[0], ords[0], score, ord)) {
            siftDown(ord, score);
        }
    }

    private void siftDown(int ord, float score) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && worse(scores[right], ords[right], scores[child], ords[child])) {
                child = right;
            }
            if (!worse(scores[child], ords[child], score, ord)) {
                break;
            }
            ords[i] = ords[child];
            scores[i] = scores[child];
            i = child;
        }
        ords[i] = ord;
        scores[i] = score;
    }

    /** Writes the hits best first and empties the heap; returns how many. */
    /** Copies the entries in heap order (not sorted) and empties the heap; returns how many. */
    int drainUnsorted(int[] outOrds, float[] outScores) {
        int n = size;
        if (outOrds.length < n || outScores.length < n) {
            throw new IllegalArgumentException("output arrays hold " + Math.min(outOrds.length, outScores.length)
                    + " hits, need " + n);
        }
        System.arraycopy(ords, 0, outOrds, 0, n);
        System.arraycopy(scores, 0, outScores, 0, n);
        size = 0;
        return n;
    }

    int drainSorted(int[] outOrds, float[] outScores) {
        int n = size;
        if (outOrds.length < n || outScores.length < n) {
            throw new IllegalArgumentException("output arrays hold " + Math.min(outOrds.length, outScores.length)
                    + " hits, need " + n);
        }
        for (int i = n - 1; i >= 0; i--) {
            outOrds[i] = ords[0];
            outScores[i] = scores[0];
            int lastOrd = ords[size - 1];
            float lastScore = scores[size - 1];
            size--;
            if (size > 0) {
                siftDown(lastOrd, lastScore);
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "TopKHeap" + Arrays.toString(Arrays.copyOf(ords, size));
    }
}
