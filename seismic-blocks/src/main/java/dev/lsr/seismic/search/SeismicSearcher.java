package dev.lsr.seismic.search;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.DocSketches;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Approximate top-k over a {@link SeismicIndex}. Visits the posting lists of the largest
 * {@code queryCut} query terms; in each list it scores every block summary, visits blocks best
 * summary first (popped from a heap, see {@link BlockQueue}) and stops at the first block whose
 * summary score falls below
 * {@code heapFactor * kth} once the heap is full; documents of visited blocks are scored exactly
 * from the forward index, each at most once per query, in batches of at least {@link #BATCH_DOCS}
 * documents (the blocks of one batch are admitted against the threshold at the batch's start).
 * On an index with {@link DocSketches}, candidates are scored on their sketches instead and the
 * best {@link SearchParams#rerankDepth()} of them are rescored exactly at the end.
 *
 * <p>Not thread-safe: one per thread. All scratch (dense query, visited bitset, heap, block order)
 * is reused, so a warm searcher allocates nothing per query.
 */
public final class SeismicSearcher {
    private final SeismicIndex index;
    private final ForwardIndex forward;
    private final boolean wideIds;
    private final float[] dense;
    private final long[] visited;
    private int[] touchedWords = new int[1024];
    private int touchedCount;
    private long[] blockOrder = new long[256];
    private int[] termOrder = new int[64];
    private int[] knnSeeds = new int[16];
    /** Unvisited documents of the block being scored, their scores and offsets (dotBatch scratch). */
    private int[] cand = new int[256];
    private float[] candScores = new float[256];
    private long[] candStarts = new long[256];
    /** Folds the prefetch touches of dotBatch so that they stay live; has no other meaning. */
    private long touchSink;
    private final TopKHeap heap = new TopKHeap();
    private final DocSketches sketches;
    /** With sketches: the best {@code rerank} candidates by sketch score, rescored exactly at the end. */
    private final TopKHeap rerankHeap = new TopKHeap();
    /** Whether the current query scores candidates on sketches (then {@link #heap} holds sketch scores until the rescore). */
    private boolean sketching;
    private int[] rerankOrds = new int[128];
    private float[] rerankScores = new float[128];
    private long[] rerankStarts = new long[128];
    private long docsRescored;
    /** The current query's score floor (see the six-argument search). */
    private float floor;
    private long docsScored;
    private long blocksScored;

    /** The reference block order (a full sort) instead of the heap; the same visits, for tests and benchmarks. */
    private final boolean sortBlocks;
    /** Documents gathered (from one or more blocks) before they are scored together; see {@link #BATCH_DOCS}. */
    private final int minBatch;
    /**
     * Documents gathered before a batch is scored. Blocks hold ~3 documents at the default
     * centroid fraction, too few to overlap their cache misses; 16 measured 3-5% faster than one
     * block at a time on realistic:1000000 in the library harness (2026-12-05), at the same
     * recall, though not beyond the spread in the bench sitting after it (seismic-blocks/README.md).
     */
    static final int BATCH_DOCS = 16;

    public SeismicSearcher(SeismicIndex index) {
        this(index, false);
    }

    SeismicSearcher(SeismicIndex index, boolean sortBlocks) {
        this(index, sortBlocks, BATCH_DOCS);
    }

    SeismicSearcher(SeismicIndex index, boolean sortBlocks, int minBatch) {
        this.sortBlocks = sortBlocks;
        if (minBatch < 1) {
            throw new IllegalArgumentException("minBatch must be >= 1, was " + minBatch);
        }
        this.minBatch = minBatch;
        this.index = index;
        this.forward = index.forward();
        this.sketches = index.sketches();
        this.wideIds = ForwardIndex.wideIds(index.dim());
        this.dense = new float[index.dim()];
        this.visited = new long[(index.size() + 63) >>> 6];
    }

    /**
     * Writes up to {@code p.k()} hits into the output arrays, best first (ties: lower ordinal
     * first), and returns how many. Documents rejected by {@code acceptOrNull} are never returned.
     * Query terms outside the index's dimension match nothing.
     */
    public int search(SparseVector q, SearchParams p, IntPredicate acceptOrNull, int[] outOrds, float[] outScores) {
        return search(q, p, 0f, acceptOrNull, outOrds, outScores);
    }

    /**
     * As {@link #search(SparseVector, SearchParams, IntPredicate, int[], float[])}, for a caller
     * that already holds k hits scoring at least {@code scoreFloor} (e.g. from other segments of
     * the same collection): blocks are skipped as if the heap's k-th score were at least the
     * floor from the start, so blocks those hits already beat are never opened. Documents are
     * still returned whatever their score (the caller merges); 0 means no floor.
     */
    public int search(SparseVector q, SearchParams p, float scoreFloor, IntPredicate acceptOrNull, int[] outOrds,
            float[] outScores) {
        return run(q, p, scoreFloor, acceptOrNull, outOrds, outScores, true);
    }

    /**
     * Whether {@link #searchUnrescored} returns sketch-scored candidates for {@code p} (the index
     * has sketches, {@code p} scores on them, and no kNN refinement, which needs exact scores,
     * follows); otherwise it returns what {@link #search} returns.
     */
    public boolean unrescored(SearchParams p) {
        return unrescored(index, p);
    }

    /** {@link #unrescored(SearchParams)} of a searcher over {@code index}. */
    public static boolean unrescored(SeismicIndex index, SearchParams p) {
        return index.sketches().present() && p.sketched() && !(p.knn() && index.kappa() > 0);
    }

    /**
     * As the six-argument search, but where {@link #unrescored(SearchParams)} holds it stops before
     * the exact rescore: writes the best {@link SearchParams#rerankDepth()} candidates by their
     * sketch scores (in no particular order; the output arrays must hold that many) and returns
     * how many. For a caller searching several indexes as one (the segments of a collection),
     * which rescores only the best candidates of all of them instead of {@code rerankDepth} per
     * index. A sketch score does not exceed the candidate's exact score (up to float rounding),
     * so a floor taken from them stays a floor.
     */
    public int searchUnrescored(SparseVector q, SearchParams p, float scoreFloor, IntPredicate acceptOrNull,
            int[] outOrds, float[] outScores) {
        return run(q, p, scoreFloor, acceptOrNull, outOrds, outScores, !unrescored(p));
    }

    private int run(SparseVector q, SearchParams p, float scoreFloor, IntPredicate acceptOrNull, int[] outOrds,
            float[] outScores, boolean rescoreSketches) {
        if (!(scoreFloor >= 0f) || !Float.isFinite(scoreFloor)) {
            throw new IllegalArgumentException("scoreFloor must be finite and >= 0, was " + scoreFloor);
        }
        floor = scoreFloor;
        heap.reset(p.k());
        sketching = sketches.present() && p.sketched();
        if (sketching) {
            rerankHeap.reset(p.rerankDepth());
        }
        int n = q.size();
        int dim = dense.length;
        for (int i = 0; i < n; i++) {
            int t = q.index(i);
            if (t < dim) {
                dense[t] = q.value(i);
            }
        }
        try {
            int cut = orderTerms(q, Math.min(p.queryCut(), n));
            for (int j = 0; j < cut; j++) {
                int t = q.index(termOrder[j]);
                if (t < dim) {
                    visitList(t, p.heapFactor(), acceptOrNull);
                }
            }
            if (sketching && !rescoreSketches) {
                // The caller ranks them with other indexes' candidates: no need to sort here.
                return rerankHeap.drainUnsorted(outOrds, outScores);
            }
            if (sketching) {
                rescore(p.k());
            }
            if (p.knn() && index.kappa() > 0) {
                refineWithGraph(acceptOrNull);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                int t = q.index(i);
                if (t < dim) {
                    dense[t] = 0f;
                }
            }
            clearVisited();
        }
        return heap.drainSorted(outOrds, outScores);
    }

    /**
     * Candidate documents scored (on their sketches where the index has them, else exactly) and
     * block summaries scored, summed over this searcher's queries.
     */
    public long docsScored() {
        return docsScored;
    }

    /** Sketch-scored candidates rescored exactly from the forward index, summed over this searcher's queries. */
    public long docsRescored() {
        return docsRescored;
    }

    public long blocksScored() {
        return blocksScored;
    }

    /** Sorts query positions by weight, largest first (ties: lower term id), into termOrder. */
    private int orderTerms(SparseVector q, int cut) {
        int n = q.size();
        if (termOrder.length < n) {
            termOrder = new int[Math.max(n, termOrder.length * 2)];
        }
        // Insertion sort: queries hold tens of terms, and this allocates nothing.
        for (int i = 0; i < n; i++) {
            float w = q.value(i);
            int j = i - 1;
            while (j >= 0 && q.value(termOrder[j]) < w) {
                termOrder[j + 1] = termOrder[j];
                j--;
            }
            termOrder[j + 1] = i;
        }
        return cut;
    }

    private void visitList(int term, float heapFactor, IntPredicate accept) {
        MemorySegment lb = index.listBlocks();
        int b0 = lb.get(Layouts.I32, term * 4L);
        int b1 = lb.get(Layouts.I32, (term + 1L) * 4);
        int nb = b1 - b0;
        if (nb == 0) {
            return;
        }
        if (blockOrder.length < nb) {
            blockOrder = new long[Math.max(nb, blockOrder.length * 2)];
        }
        // Blocks already below the list's starting threshold can never be visited (the threshold
        // only rises): they are left out of the queue instead of heapified and never popped.
        float limit0 = heapFactor * bar();
        int kept = 0;
        for (int i = 0; i < nb; i++) {
            float s = summaryDot(b0 + i);
            // Non-negative floats order like their bit patterns: pack (score, block) into a long.
            blockOrder[kept] = ((long) Float.floatToRawIntBits(s) << 32) | i;
            kept += s >= limit0 ? 1 : 0;
        }
        blocksScored += nb;
        nb = kept;
        if (sortBlocks) {
            Arrays.sort(blockOrder, 0, nb);
        } else {
            BlockQueue.heapify(blockOrder, nb);
        }
        MemorySegment bp = index.blockPostings();
        MemorySegment post = index.postings();
        int v = 0;
        boolean below = false;
        while (!below && v < nb) {
            // Blocks are gathered until the batch holds minBatch documents, all against the
            // threshold of the batch's start: a stale threshold only admits blocks the fresh one
            // might have skipped, and a batch of several blocks overlaps more cache misses.
            float limit = heapFactor * bar();
            int nc = 0;
            while (v < nb && nc < minBatch) {
                long packed = sortBlocks ? blockOrder[nb - 1 - v] : BlockQueue.pop(blockOrder, nb - v);
                v++;
                if (Float.intBitsToFloat((int) (packed >>> 32)) < limit) {
                    below = true;
                    break;
                }
                int b = b0 + (int) packed;
                long p0 = Integer.toUnsignedLong(bp.get(Layouts.I32, b * 4L));
                long p1 = Integer.toUnsignedLong(bp.get(Layouts.I32, (b + 1L) * 4));
                ensureCandidates(nc + (int) (p1 - p0));
                for (long e = p0; e < p1; e++) {
                    int doc = post.get(Layouts.I32, e * 4);
                    if (firstVisit(doc) && (accept == null || accept.test(doc))) {
                        cand[nc++] = doc;
                    }
                }
            }
            scoreCandidates(nc);
        }
    }

    /** The score a block's summary is held to, before {@code heapFactor}: the k-th best so far, at least the floor. */
    private float bar() {
        return heap.full() ? Math.max(heap.kth(), floor) : floor;
    }

    private void ensureCandidates(int n) {
        if (cand.length < n) {
            int cap = Math.max(n, cand.length * 2);
            cand = Arrays.copyOf(cand, cap);
            candScores = new float[cap];
            candStarts = new long[cap];
        }
    }

    /**
     * Scores cand[0, n) into the heap: on their sketches while {@link #sketching} (into the rerank
     * heap as well), else exactly (batched, see {@link ForwardIndex#dotBatch}).
     */
    private void scoreCandidates(int n) {
        if (n == 0) {
            return;
        }
        docsScored += n;
        if (sketching) {
            touchSink += sketches.scoreBatch(cand, n, dense, candScores);
            for (int i = 0; i < n; i++) {
                heap.offer(cand[i], candScores[i]);
                rerankHeap.offer(cand[i], candScores[i]);
            }
            return;
        }
        touchSink += forward.dotBatch(cand, n, dense, candScores, candStarts);
        for (int i = 0; i < n; i++) {
            heap.offer(cand[i], candScores[i]);
        }
    }

    /**
     * Replaces the sketch-scored heap by the exact top-k of the best sketch-scored candidates.
     * A sketch score never exceeds the exact one, so the threshold that skipped blocks was at
     * most the exact k-th score: sketches only make the traversal more conservative, and what
     * they can lose is a document ranked below the rerank depth by its sketch.
     */
    private void rescore(int k) {
        int c = rerankHeap.size();
        if (rerankOrds.length < c) {
            rerankOrds = new int[c];
            rerankScores = new float[c];
            rerankStarts = new long[c];
        }
        for (int i = 0; i < c; i++) {
            rerankOrds[i] = rerankHeap.ordAt(i);
        }
        touchSink += forward.dotBatch(rerankOrds, c, dense, rerankScores, rerankStarts);
        docsRescored += c;
        heap.reset(k);
        for (int i = 0; i < c; i++) {
            heap.offer(rerankOrds[i], rerankScores[i]);
        }
        sketching = false;
    }

    /** Marks {@code doc} visited; true when it was not yet. */
    private boolean firstVisit(int doc) {
        int w = doc >>> 6;
        long bit = 1L << doc;
        long word = visited[w];
        if ((word & bit) != 0) {
            return false;
        }
        if (word == 0) {
            if (touchedCount == touchedWords.length) {
                touchedWords = Arrays.copyOf(touchedWords, touchedCount * 2);
            }
            touchedWords[touchedCount++] = w;
        }
        visited[w] = word | bit;
        return true;
    }

    /** Expands the current top-k through the stored neighbours of each hit (one hop). */
    private void refineWithGraph(IntPredicate accept) {
        int kappa = index.kappa();
        MemorySegment knn = index.knn();
        int hits = heap.size();
        if (knnSeeds.length < hits) {
            knnSeeds = new int[Math.max(hits, knnSeeds.length * 2)];
        }
        for (int i = 0; i < hits; i++) {
            knnSeeds[i] = heap.ordAt(i);
        }
        ensureCandidates(hits * kappa);
        int nc = 0;
        for (int i = 0; i < hits; i++) {
            long base = (long) knnSeeds[i] * kappa;
            for (int j = 0; j < kappa; j++) {
                int nb = knn.get(Layouts.I32, (base + j) * 4);
                if (nb >= 0 && firstVisit(nb) && (accept == null || accept.test(nb))) {
                    cand[nc++] = nb;
                }
            }
        }
        scoreCandidates(nc);
    }

    private void clearVisited() {
        for (int i = 0; i < touchedCount; i++) {
            visited[touchedWords[i]] = 0L;
        }
        touchedCount = 0;
    }

    /** Upper-bound estimate of the block's best score: its quantised summary against the query. */
    float summaryDot(int block) {
        MemorySegment starts = index.summaryStarts();
        long s0 = Integer.toUnsignedLong(starts.get(Layouts.I32, block * 4L));
        long s1 = Integer.toUnsignedLong(starts.get(Layouts.I32, (block + 1L) * 4));
        MemorySegment ids = index.summaryIds();
        MemorySegment ws = index.summaryWeights();
        float[] q = dense;
        float sum = 0f;
        if (wideIds) {
            for (long e = s0; e < s1; e++) {
                sum += Byte.toUnsignedInt(ws.get(Layouts.U8, e)) * q[ids.get(Layouts.I32, e * 4)];
            }
        } else {
            for (long e = s0; e < s1; e++) {
                sum += Byte.toUnsignedInt(ws.get(Layouts.U8, e)) * q[Short.toUnsignedInt(ids.get(Layouts.I16, e * 2))];
            }
        }
        return sum * index.summaryScales().get(Layouts.F32, block * 4L);
    }

    /** Test hook: {@link #summaryDot} with {@code q} scattered, scratch restored afterwards. */
    float summaryDotFor(SparseVector q, int block) {
        for (int i = 0; i < q.size(); i++) {
            dense[q.index(i)] = q.value(i);
        }
        try {
            return summaryDot(block);
        } finally {
            for (int i = 0; i < q.size(); i++) {
                dense[q.index(i)] = 0f;
            }
        }
    }

    /** Reference for {@link #summaryDot}: decode entry by entry, accumulate in double. */
    public static double summaryDotReference(SeismicIndex index, int block, float[] dense) {
        long s0 = Integer.toUnsignedLong(index.summaryStarts().get(Layouts.I32, block * 4L));
        long s1 = Integer.toUnsignedLong(index.summaryStarts().get(Layouts.I32, (block + 1L) * 4));
        boolean wide = ForwardIndex.wideIds(index.dim());
        float scale = index.summaryScales().get(Layouts.F32, block * 4L);
        double sum = 0;
        for (long e = s0; e < s1; e++) {
            int id = wide ? index.summaryIds().get(Layouts.I32, e * 4)
                    : Short.toUnsignedInt(index.summaryIds().get(Layouts.I16, e * 2));
            double w = Byte.toUnsignedInt(index.summaryWeights().get(Layouts.U8, e)) * (double) scale;
            sum += w * dense[id];
        }
        return sum;
    }
}
