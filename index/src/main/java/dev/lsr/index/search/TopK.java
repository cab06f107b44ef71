package dev.lsr.index.search;

/**
 * Bounded min-heap of (doc, score) keeping the k best: higher score wins, equal scores prefer
 * the lower doc id so results are deterministic. Primitive arrays, no boxing on the hot path.
 */
final class TopK {

    private int k;
    private int[] docs;
    private float[] scores;
    private int size;

    TopK(int k) {
        this.k = k;
        this.docs = new int[k];
        this.scores = new float[k];
    }

    /** Empties the heap for a new search of {@code k} (reuses the arrays when they are large enough). */
    void reset(int newK) {
        if (docs.length < newK) {
            docs = new int[newK];
            scores = new float[newK];
        }
        k = newK;
        size = 0;
    }

    int k() {
        return k;
    }

    int size() {
        return size;
    }

    /** Score a candidate must beat to enter (once full). */
    float minScore() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    void offer(int doc, float score) {
        if (size < k) {
            docs[size] = doc;
            scores[size] = score;
            siftUp(size++);
        } else if (better(doc, score, docs[0], scores[0])) {
            docs[0] = doc;
            scores[0] = score;
            siftDown(0);
        }
    }

    private static boolean better(int d1, float s1, int d2, float s2) {
        return s1 > s2 || (s1 == s2 && d1 < d2);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (better(docs[parent], scores[parent], docs[i], scores[i])) {
                swap(i, parent);
                i = parent;
            } else {
                return;
            }
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int worst = l;
            int r = l + 1;
            if (r < size && better(docs[l], scores[l], docs[r], scores[r])) {
                worst = r;
            }
            if (better(docs[i], scores[i], docs[worst], scores[worst])) {
                swap(i, worst);
                i = worst;
            } else {
                return;
            }
        }
    }

    private void swap(int a, int b) {
        int d = docs[a];
        docs[a] = docs[b];
        docs[b] = d;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }

    /** Drains into arrays ordered best first. */
    ScoredDocs drainBestFirst() {
        int[] outDocs = new int[size];
        float[] outScores = new float[size];
        drainInto(outDocs, outScores);
        return new ScoredDocs(outDocs, outScores);
    }

    /** Drains into the caller's arrays (at least {@link #size()} long), best first; returns how many. */
    int drainInto(int[] outDocs, float[] outScores) {
        int n = size;
        for (int i = n - 1; i >= 0; i--) {
            outDocs[i] = docs[0];
            outScores[i] = scores[0];
            size--;
            if (size > 0) {
                docs[0] = docs[size];
                scores[0] = scores[size];
                siftDown(0);
            }
        }
        return n;
    }
}
