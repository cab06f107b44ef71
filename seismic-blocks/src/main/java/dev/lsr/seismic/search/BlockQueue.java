package dev.lsr.seismic.search;

/**
 * Block visiting order without a full sort: a binary max-heap built in place over packed
 * (score bits, block) longs in O(n), then popped one block at a time. A list's summaries are all
 * scored, but the search usually stops after a few blocks, so n log n sorting is mostly wasted.
 * Pops come out in exactly the order of a descending sort (the packed longs are distinct).
 */
final class BlockQueue {
    private BlockQueue() {}

    /** Turns {@code a[0, n)} into a max-heap. */
    static void heapify(long[] a, int n) {
        for (int i = (n >>> 1) - 1; i >= 0; i--) {
            siftDown(a, i, a[i], n);
        }
    }

    /** Removes and returns the largest of the heap {@code a[0, n)}; the heap then holds {@code n - 1}. */
    static long pop(long[] a, int n) {
        long top = a[0];
        int last = n - 1;
        if (last > 0) {
            siftDown(a, 0, a[last], last);
        }
        return top;
    }

    private static void siftDown(long[] a, int i, long x, int n) {
        int half = n >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            long cv = a[c];
            int r = c + 1;
            if (r < n && a[r] > cv) {
                c = r;
                cv = a[r];
            }
            if (cv <= x) {
                break;
            }
            a[i] = cv;
            i = c;
        }
        a[i] = x;
    }
}
