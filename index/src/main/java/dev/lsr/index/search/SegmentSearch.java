package dev.lsr.index.search;

import dev.lsr.index.codec.SparseSegment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Weight;
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
    private final ConcurrentLinkedQueue<CollectionTop> tops = new ConcurrentLinkedQueue<>();
    /** The segment order of the reader searched last (readers change only at refreshes). */
    private volatile LeafOrder lastOrder;

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

    /**
     * The segments of {@code reader}, largest (most live documents) first, ties in reader order,
     * and how many of the leading ones hold at least half of the live documents (at least 1).
     */
    record LeafOrder(IndexReader reader, List<LeafReaderContext> largestFirst, int leadingHalf) {

        static LeafOrder of(IndexReader reader) {
            List<LeafReaderContext> sorted = new ArrayList<>(reader.leaves());
            sorted.sort((a, b) -> {
                int c = Integer.compare(b.reader().numDocs(), a.reader().numDocs());
                return c != 0 ? c : Integer.compare(a.ord, b.ord);
            });
            long total = 0;
            for (LeafReaderContext ctx : sorted) {
                total += ctx.reader().numDocs();
            }
            long seen = 0;
            int i = 0;
            while (i < sorted.size() && (i == 0 || 2 * seen < total)) {
                seen += sorted.get(i++).reader().numDocs();
            }
            return new LeafOrder(reader, List.copyOf(sorted), i);
        }
    }

    /**
     * {@link LeafOrder} of {@code reader}, computed once per reader (a refresh opens a new one)
     * instead of sorting the segments on every query.
     */
    LeafOrder order(IndexReader reader) {
        LeafOrder o = lastOrder;
        if (o == null || o.reader() != reader) {
            o = LeafOrder.of(reader);
            lastOrder = o;
        }
        return o;
    }

    /** An empty {@link CollectionTop}; give it back with {@link #releaseTop}. */
    CollectionTop acquireTop(int k, int depth, int leaves) {
        CollectionTop t = tops.poll();
        return (t != null ? t : new CollectionTop()).reset(k, depth, leaves);
    }

    void releaseTop(CollectionTop top) {
        tops.offer(top);
    }

    LeafScratch acquireLeaf() {
        LeafScratch s = leafScratch.poll();
        return s != null ? s : new LeafScratch();
    }

    void releaseLeaf(LeafScratch s) {
        leafScratch.offer(s);
    }

    /**
     * Searches {@code leaves} from {@code floor} into {@code into}: on the calling thread, or, with
     * an executor and at least two segments, with every free executor thread and the caller each
     * claiming the next unsearched segment (nothing waits on a queued task). Every segment starts
     * from the same floor and its hits land in its own slot, merged in segment order once all are
     * done, so the result is the sequential one.
     */
    void searchAll(List<LeafReaderContext> leaves, LeafSearch search, Weight filterWeight, float[] dense, float floor,
            CollectionTop into) throws IOException {
        if (executor == null || leaves.size() < 2) {
            LeafScratch scratch = acquireLeaf();
            try {
                for (LeafReaderContext ctx : leaves) {
                    into.add(ctx, scratch, search.search(ctx, filterWeight, dense, floor, scratch));
                }
            } finally {
                releaseLeaf(scratch);
            }
            return;
        }
        int n = leaves.size();
        int[][] docs = new int[n][];
        float[][] scores = new float[n][];
        LeafSearch.Scores[] kinds = new LeafSearch.Scores[n];
        SparseSegment[] structures = new SparseSegment[n];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(n);
        Runnable worker = () -> {
            LeafScratch scratch = acquireLeaf();
            try {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    try {
                        if (failure.get() == null) {
                            kinds[i] = search.search(leaves.get(i), filterWeight, dense, floor, scratch);
                            structures[i] = scratch.segment;
                            docs[i] = Arrays.copyOf(scratch.docs, scratch.hits);
                            scores[i] = Arrays.copyOf(scratch.scores, scratch.hits);
                        }
                    } catch (IOException | RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                }
            } finally {
                releaseLeaf(scratch);
            }
        };
        for (int t = 0; t < n - 1; t++) {
            try {
                executor.execute(worker);
            } catch (RejectedExecutionException e) {
                break;
            }
        }
        worker.run();
        // Wait even when interrupted: the workers read this query's pooled dense array, which
        // must not go back to the pool while one of them still uses it.
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure.get();
        if (f instanceof IOException io) {
            throw io;
        } else if (f instanceof RuntimeException re) {
            throw re;
        } else if (f instanceof Error err) {
            throw err;
        }
        for (int i = 0; i < n; i++) {
            into.add(leaves.get(i), structures[i], docs[i], scores[i], docs[i].length, kinds[i]);
        }
    }

    /** Per-segment scratch of one search thread. */
    static final class LeafScratch {
        private FixedBitSet bits = new FixedBitSet(64);
        final TopK top = new TopK(10);
        final ByteArrayDataInput bytes = new ByteArrayDataInput();
        /** A segment's hits, best first: {@code docs[0, hits)} with their {@code scores}. */
        int[] docs = new int[10];
        float[] scores = new float[10];
        int hits;
        /** The segment's Seismic structure when its hits are sketch-scored (they are rescored from it). */
        SparseSegment segment;
        /** A batch of documents scored together from a forward index, and its scratch. */
        int[] batchDocs = new int[256];
        float[] batchScores = new float[256];
        long[] batchStarts = new long[256];
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

        void ensureBatch(int n) {
            if (batchDocs.length < n) {
                batchDocs = new int[n];
                batchScores = new float[n];
                batchStarts = new long[n];
            }
        }

        void ensureHits(int k) {
            if (docs.length < k) {
                docs = new int[k];
                scores = new float[k];
            }
        }
    }
}
