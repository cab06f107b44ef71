package dev.lsr.index.search;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.FixedBitSet;

/**
 * How a collection's sparse searches run over its segments: on the calling thread only, or with
 * the segments after the first spread over an {@link Executor} (the caller works too, so a
 * saturated executor only makes a search sequential, never stuck). Results are the same either
 * way. Also owns the scratch every search reuses (the dense query, the filter bitset, heaps), so
 * a warm collection allocates none of it per query. Thread-safe; one per collection.
 */
public final class SegmentSearch {

    private final Executor executor;
    private final ConcurrentLinkedQueue<float[]> denseQueries = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LeafScratch> leafScratch = new ConcurrentLinkedQueue<>();

    private SegmentSearch(Executor executor) {
        this.executor = executor;
    }

    /** Every segment on the calling thread. */
    public static SegmentSearch sequential() {
        return new SegmentSearch(null);
    }

    /** Segments after the largest one also on {@code executor} (null: sequential). */
    public static SegmentSearch concurrent(Executor executor) {
        return new SegmentSearch(executor);
    }

    Executor executor() {
        return executor;
    }

    /** A zeroed array of at least {@code dim} floats; give it back zeroed with {@link #releaseDense}. */
    float[] acquireDense(int dim) {
        float[] d = denseQueries.poll();
        return d != null && d.length >= dim ? d : new float[dim];
    }

    void releaseDense(float[] dense) {
        denseQueries.offer(dense);
    }

    LeafScratch acquireLeaf() {
        LeafScratch s = leafScratch.poll();
        return s != null ? s : new LeafScratch();
    }

    void releaseLeaf(LeafScratch s) {
        leafScratch.offer(s);
    }

    /** Per-segment scratch of one search thread. */
    static final class LeafScratch {
        private FixedBitSet bits = new FixedBitSet(64);
        final TopK top = new TopK(10);
        final ByteArrayDataInput bytes = new ByteArrayDataInput();
        int[] docs = new int[10];
        float[] scores = new float[10];
        /** A batch of documents scored together from a forward index, and its scratch. */
        final int[] batchDocs = new int[256];
        final float[] batchScores = new float[256];
        final long[] batchStarts = new long[256];
        /** Folds the forward index's prefetch touches so they stay live; no other meaning. */
        long sink;

        /** A bitset of at least {@code maxDoc} bits, all clear. */
        FixedBitSet bits(int maxDoc) {
            if (bits.length() < maxDoc) {
                bits = new FixedBitSet(Math.max(maxDoc, bits.length() * 2));
            } else {
                bits.clear(0, bits.length());
            }
            return bits;
        }

        void ensureHits(int k) {
            if (docs.length < k) {
                docs = new int[k];
                scores = new float[k];
            }
        }
    }
}
