package dev.lsr.index.search;

import dev.lsr.index.codec.SegmentLists;
import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseSegment;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.index.search.SegmentSearch.LeafScratch;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * Top-k sparse dot-product search as a Lucene query. Rewriting runs the search: per segment,
 * Seismic approximate top-k; exact term-at-a-time over the segment's unpruned lists when it has
 * no Seismic structure (a small segment, {@link SegmentLists}); an exact scan when the request is
 * exact or the filter lets few documents through; honouring deletions and the filter; then the global top-k across segments. The rewritten query matches exactly those k
 * documents with their dot products as scores, so it composes with the rest of Lucene.
 *
 * <p>Segments are one search: the largest segments (until they hold half of the documents) are
 * searched first, in order, each starting from the k-th score of the hits so far as a floor; the
 * k-th score they end with is the floor every other segment starts from, so their searches skip
 * blocks the collection already beats instead of each filling its own top-k from nothing. The
 * other segments see the same floor whichever thread runs them (see {@link SegmentSearch}), so
 * sequential and concurrent searches return identical hits.
 */
public final class SparseQuery extends Query {

    private final String field;
    private final SparseVector vector;
    private final int dim;
    private final int k;
    private final Query filter;
    private final SparseSearchOptions options;
    private final SegmentSearch segments;

    public SparseQuery(String field, SparseVector vector, int dim, int k, Query filterOrNull, SparseSearchOptions options) {
        this(field, vector, dim, k, filterOrNull, options, SegmentSearch.sequential());
    }

    public SparseQuery(String field, SparseVector vector, int dim, int k, Query filterOrNull, SparseSearchOptions options,
            SegmentSearch segments) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        this.field = Objects.requireNonNull(field);
        this.vector = Objects.requireNonNull(vector);
        this.dim = dim;
        this.k = k;
        this.filter = filterOrNull;
        this.options = Objects.requireNonNull(options);
        this.segments = Objects.requireNonNull(segments);
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        return new ScoredDocsQuery(searcher.getIndexReader().getContext().id(), topDocs(searcher));
    }

    /** Runs the search; the result holds top-level doc ids, best first. */
    public ScoredDocs topDocs(IndexSearcher searcher) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        Weight filterWeight = filter == null
                ? null
                : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        List<LeafReaderContext> leaves = largestFirst(reader.leaves());
        TopK global = new TopK(k);
        if (leaves.isEmpty()) {
            return global.drainBestFirst();
        }
        Candidates candidates = new Candidates(k);
        float[] dense = segments.acquireDense(dim);
        try {
            for (int i = 0; i < vector.size(); i++) {
                // Ids outside the vocabulary occur in no document, so they cannot contribute.
                if (vector.index(i) < dim) {
                    dense[vector.index(i)] = vector.value(i);
                }
            }
            // Phase 1, on this thread: the largest segments, until they hold half of the live
            // documents, each starting from the floor the ones before it set. Phase 2: the rest,
            // all from the floor phase 1 ended with (the same whichever thread runs them).
            int split = leadingHalf(leaves);
            LeafScratch scratch = segments.acquireLeaf();
            try {
                for (LeafReaderContext ctx : leaves.subList(0, split)) {
                    boolean approximate = searchLeaf(ctx, filterWeight, dense, floorOf(global), scratch);
                    drainInto(scratch, ctx.docBase, approximate, global, candidates);
                }
            } finally {
                segments.releaseLeaf(scratch);
            }
            float floor = floorOf(global);
            List<LeafReaderContext> rest = leaves.subList(split, leaves.size());
            Executor executor = segments.executor();
            if (executor == null || rest.size() < 2) {
                scratch = segments.acquireLeaf();
                try {
                    for (LeafReaderContext ctx : rest) {
                        boolean approximate = searchLeaf(ctx, filterWeight, dense, floor, scratch);
                        drainInto(scratch, ctx.docBase, approximate, global, candidates);
                    }
                } finally {
                    segments.releaseLeaf(scratch);
                }
            } else {
                concurrent(executor, rest, filterWeight, dense, floor, global, candidates);
            }
            return rescored(reader, global, candidates, dense);
        } finally {
            for (int i = 0; i < vector.size(); i++) {
                if (vector.index(i) < dim) {
                    dense[vector.index(i)] = 0f;
                }
            }
            segments.releaseDense(dense);
        }
    }

    /**
     * The reference every other path is checked against: each segment's passing documents (live,
     * and matching the filter) scored one by one from their stored vectors, no Seismic structure,
     * no inverted lists. Slow; for tests and diagnostics. Hits hold top-level doc ids, best first.
     */
    public ScoredDocs scanTopDocs(IndexSearcher searcher) throws IOException {
        IndexReader reader = searcher.getIndexReader();
        Weight filterWeight = filter == null
                ? null
                : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        float[] dense = new float[dim];
        for (int i = 0; i < vector.size(); i++) {
            if (vector.index(i) < dim) {
                dense[vector.index(i)] = vector.value(i);
            }
        }
        TopK global = new TopK(k);
        LeafScratch scratch = new LeafScratch();
        for (LeafReaderContext ctx : reader.leaves()) {
            BinaryDocValues values = ctx.reader().getBinaryDocValues(field);
            if (values == null) {
                continue;
            }
            int maxDoc = ctx.reader().maxDoc();
            Bits live = ctx.reader().getLiveDocs();
            FixedBitSet accepted = null;
            if (filterWeight != null) {
                Scorer scorer = filterWeight.scorer(ctx);
                if (scorer == null) {
                    continue;
                }
                accepted = new FixedBitSet(maxDoc);
                DocIdSetIterator it = scorer.iterator();
                for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        accepted.set(doc);
                    }
                }
            }
            scratch.top.reset(k);
            exactLeaf(values, accepted, maxDoc, live, dense, scratch);
            scratch.ensureHits(k);
            int n = scratch.top.drainInto(scratch.docs, scratch.scores);
            for (int i = 0; i < n; i++) {
                global.offer(ctx.docBase + scratch.docs[i], scratch.scores[i]);
            }
        }
        return global.drainBestFirst();
    }

    /** The k-th score once the top-k is full (0 before: no floor). */
    private float floorOf(TopK global) {
        return global.size() == k ? Math.max(0f, global.minScore()) : 0f;
    }

    /** How many of the leading (largest) segments hold at least half of the live documents; at least 1. */
    private static int leadingHalf(List<LeafReaderContext> largestFirst) {
        long total = 0;
        for (LeafReaderContext ctx : largestFirst) {
            total += ctx.reader().numDocs();
        }
        long seen = 0;
        int i = 0;
        while (i < largestFirst.size() && (i == 0 || 2 * seen < total)) {
            seen += largestFirst.get(i++).reader().numDocs();
        }
        return i;
    }

    /** Largest segment (most live documents) first; ties keep reader order. */
    private static List<LeafReaderContext> largestFirst(List<LeafReaderContext> leaves) {
        if (leaves.size() < 2) {
            return leaves;
        }
        List<LeafReaderContext> sorted = new ArrayList<>(leaves);
        sorted.sort((a, b) -> {
            int c = Integer.compare(b.reader().numDocs(), a.reader().numDocs());
            return c != 0 ? c : Integer.compare(a.ord, b.ord);
        });
        return sorted;
    }

    private void drainInto(LeafScratch scratch, int docBase, boolean approximate, TopK global, Candidates candidates) {
        // Each leaf hit is offered with its top-level id; TopK's tie-break (lower id) makes the
        // global result independent of the order in which segments are merged in.
        scratch.ensureHits(k);
        int n = scratch.top.drainInto(scratch.docs, scratch.scores);
        for (int i = 0; i < n; i++) {
            global.offer(docBase + scratch.docs[i], scratch.scores[i]);
            candidates.add(docBase + scratch.docs[i], scratch.scores[i], approximate);
        }
    }

    /**
     * The final top-k: the candidates that can still make it (within {@value #FLOOR_SLACK} of the
     * k-th score), those holding Seismic's forward-index scores rescored from the stored float
     * vectors. Rescoring once here, not in each segment, reads about k stored vectors per query
     * however many segments there are (before, every segment rescored its own hits: most of the
     * extra cost of ten segments over one).
     */
    private ScoredDocs rescored(IndexReader reader, TopK global, Candidates candidates, float[] dense) throws IOException {
        float bar = global.size() == k ? global.minScore() * (1f - FLOOR_SLACK) : Float.NEGATIVE_INFINITY;
        TopK result = new TopK(k);
        int m = 0;
        int[] pending = candidates.docs;
        for (int i = 0; i < candidates.size; i++) {
            if (candidates.scores[i] >= bar) {
                if (candidates.approximate[i]) {
                    pending[m++] = candidates.docs[i];
                } else {
                    result.offer(candidates.docs[i], candidates.scores[i]);
                }
            }
        }
        if (m > 0) {
            Arrays.sort(pending, 0, m);
            List<LeafReaderContext> leaves = reader.leaves();
            LeafScratch scratch = segments.acquireLeaf();
            try {
                int leaf = -1;
                BinaryDocValues values = null;
                for (int i = 0; i < m; i++) {
                    int doc = pending[i];
                    int li = ReaderUtil.subIndex(doc, leaves);
                    if (li != leaf) {
                        leaf = li;
                        values = leaves.get(li).reader().getBinaryDocValues(field);
                    }
                    if (values.advanceExact(doc - leaves.get(li).docBase)) {
                        offer(result, doc, VectorBytes.dot(values.binaryValue(), dense, scratch.bytes));
                    }
                }
            } finally {
                segments.releaseLeaf(scratch);
            }
        }
        return result.drainBestFirst();
    }

    /**
     * Every segment's hits that reached the floor: top-level id, score, and whether the score is
     * Seismic's (from the segment's forward index) or already the stored vectors' dot product.
     */
    private static final class Candidates {
        int[] docs;
        float[] scores;
        boolean[] approximate;
        int size;

        Candidates(int k) {
            docs = new int[4 * k];
            scores = new float[4 * k];
            approximate = new boolean[4 * k];
        }

        void add(int doc, float score, boolean isApproximate) {
            if (size == docs.length) {
                docs = Arrays.copyOf(docs, 2 * size);
                scores = Arrays.copyOf(scores, 2 * size);
                approximate = Arrays.copyOf(approximate, 2 * size);
            }
            docs[size] = doc;
            scores[size] = score;
            approximate[size++] = isApproximate;
        }
    }

    /**
     * Searches the segments with every free executor thread and the caller claiming the next
     * unsearched segment, so nothing waits on a queued task; each segment's hits land in its own
     * slot and are merged once all are done.
     */
    private void concurrent(Executor executor, List<LeafReaderContext> leaves, Weight filterWeight, float[] dense,
            float floor, TopK global, Candidates candidates) throws IOException {
        int n = leaves.size();
        int[][] docs = new int[n][];
        float[][] scores = new float[n][];
        boolean[] approximate = new boolean[n];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(n);
        Runnable worker = () -> {
            LeafScratch scratch = segments.acquireLeaf();
            try {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    try {
                        if (failure.get() == null) {
                            LeafReaderContext ctx = leaves.get(i);
                            approximate[i] = searchLeaf(ctx, filterWeight, dense, floor, scratch);
                            int m = scratch.top.size();
                            docs[i] = new int[m];
                            scores[i] = new float[m];
                            scratch.top.drainInto(docs[i], scores[i]);
                        }
                    } catch (IOException | RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                }
            } finally {
                segments.releaseLeaf(scratch);
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
            int base = leaves.get(i).docBase;
            for (int j = 0; j < docs[i].length; j++) {
                global.offer(base + docs[i][j], scores[i][j]);
                candidates.add(base + docs[i][j], scores[i][j], approximate[i]);
            }
        }
    }

    /**
     * The segment's top-k (segment doc ids) into {@code scratch.top}. Seismic when the segment has
     * a structure and the filter lets many documents through (returns true: the scores are
     * Seismic's, from the forward index, rescored later); an exact scan of the passing documents
     * otherwise, and also when Seismic under the filter or deletions could not fill
     * {@code min(k, passing)} although no other segment's hits set a floor (returns false: true
     * dot products of the stored vectors).
     */
    private boolean searchLeaf(LeafReaderContext ctx, Weight filterWeight, float[] dense, float floor,
            LeafScratch scratch) throws IOException {
        TopK top = scratch.top;
        top.reset(k);
        BinaryDocValues values = ctx.reader().getBinaryDocValues(field);
        if (values == null) {
            return false;
        }
        int maxDoc = ctx.reader().maxDoc();
        Bits live = ctx.reader().getLiveDocs();
        FixedBitSet accepted = null;
        int passing = ctx.reader().numDocs();
        if (filterWeight != null) {
            Scorer scorer = filterWeight.scorer(ctx);
            if (scorer == null) {
                return false;
            }
            accepted = scratch.bits(maxDoc);
            DocIdSetIterator it = scorer.iterator();
            if (it.nextDoc() == DocIdSetIterator.NO_MORE_DOCS) {
                return false;
            }
            // Word-wise when the filter is a bitset (Lucene's query cache keeps frequent filters so).
            it.intoBitSet(maxDoc, accepted, 0);
            if (live != null) {
                for (int doc = accepted.nextSetBit(0); doc < maxDoc;
                        doc = doc + 1 < maxDoc ? accepted.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
                    if (!live.get(doc)) {
                        accepted.clear(doc);
                    }
                }
            }
            passing = accepted.cardinality(0, maxDoc);
            if (passing == 0) {
                return false;
            }
        }
        SparseSegment segment = values instanceof SparseBinaryDocValues s ? s.segment() : null;
        if (segment != null && !segment.hasStructure()) {
            listsLeaf(ctx, segment, values, accepted, passing, maxDoc, live, dense, scratch);
            return false;
        }
        if (options.exact() || segment == null) {
            exactLeaf(values, accepted, maxDoc, live, dense, scratch);
            return false;
        }
        if (accepted != null && selective(passing, ctx.reader().numDocs())) {
            forwardExact(segment, values, accepted, null, maxDoc, dense, scratch);
            return false;
        }
        scratch.ensureHits(k);
        IntPredicate accept = accepted != null ? accepted::get : live != null ? live::get : null;
        boolean tuned = options.segmentTuned() && segment.tunedQueryCut() > 0;
        // Under a filter the passing top-k lies deeper in the lists: widen in proportion.
        double selectivity = accepted == null ? 1.0 : passing / (double) ctx.reader().numDocs();
        int queryCut = FilterWidening.queryCut(tuned ? segment.tunedQueryCut() : options.queryCut(), selectivity);
        double heapFactor = FilterWidening.heapFactor(tuned ? segment.tunedHeapFactor() : options.heapFactor(),
                selectivity);
        int n = segment.seismic().search(vector, k, queryCut, heapFactor, options.knn(), floor, accept, scratch.docs,
                scratch.scores);
        // Seismic's scores, from the segment's forward index: rescored once for the whole
        // collection (see rescored). Hits well below the floor cannot enter the top-k.
        int m = reachingFloor(n, scratch.scores, floor);
        for (int i = 0; i < m; i++) {
            offer(top, scratch.docs[i], scratch.scores[i]);
        }
        int need = Math.min(k, passing);
        if (top.size() >= need || floor > 0f) {
            return true;
        }
        // Too few hits and no other segment holds k. Reading the query's whole pruned lists
        // costs about their postings; scanning the passing documents costs one forward-index
        // vector each (several postings' worth): the lists first when they are the cheaper.
        if (segment.seismic().postingsOf(vector) < passing) {
            top.reset(k);
            values = ctx.reader().getBinaryDocValues(field);
            n = segment.seismic().search(vector, k, Integer.MAX_VALUE, 0.0, false, 0f, accept, scratch.docs,
                    scratch.scores);
            rescore(values, dense, n, scratch);
            if (top.size() >= need) {
                return false;
            }
        }
        // The pruned lists hold too few passing matches: the passing documents, exactly.
        forwardExact(segment, ctx.reader().getBinaryDocValues(field), accepted, live, maxDoc, dense, scratch);
        return false;
    }

    /**
     * A segment without a Seismic structure, exactly: term-at-a-time over its unpruned lists
     * (built on its first search), which reads the postings of the query's terms; or, when a
     * filter lets so few documents through that decoding them costs less, the scan of their stored
     * vectors. Both give the stored vectors' dot products, so the hits are the same.
     */
    private void listsLeaf(LeafReaderContext ctx, SparseSegment segment, BinaryDocValues values, FixedBitSet accepted,
            int passing, int maxDoc, Bits live, float[] dense, LeafScratch scratch) throws IOException {
        SegmentLists lists = segment.lists(() -> ctx.reader().getBinaryDocValues(field));
        if (accepted != null && passing * lists.averageLength() < lists.postingsOf(vector)) {
            exactLeaf(values, accepted, maxDoc, live, dense, scratch);
            return;
        }
        scratch.ensureHits(k);
        IntPredicate accept = accepted != null ? accepted::get : live != null ? live::get : null;
        int n = lists.search(vector, k, accept, scratch.docs, scratch.scores);
        for (int i = 0; i < n; i++) {
            offer(scratch.top, scratch.docs[i], scratch.scores[i]);
        }
    }

    /**
     * Top-k of the accepted documents (the live ones when {@code accepted} is null) scored with
     * the segment's forward index, the k best then rescored from the stored float vectors: several
     * times cheaper per document than decoding each stored vector ({@link #exactLeaf}). The
     * forward index's half-float weights only swap documents whose scores differ by far less than
     * a percent, and the 2k best by those scores are rescored, so this is the exact top-k unless
     * more than k documents tie that closely with the k-th.
     */
    private void forwardExact(SparseSegment segment, BinaryDocValues values, FixedBitSet accepted, Bits live,
            int maxDoc, float[] dense, LeafScratch scratch) throws IOException {
        TopK top = scratch.top;
        // 2k by the forward index's scores, so that the true k-th is among them even when its
        // half-float score swaps it with a near-tie; the 2k are rescored from the stored floats.
        int wide = k > Integer.MAX_VALUE / 2 ? k : 2 * k;
        top.reset(wide);
        int[] batch = scratch.batchDocs;
        int nb = 0;
        if (accepted != null) {
            for (int doc = accepted.nextSetBit(0); doc < maxDoc;
                    doc = doc + 1 < maxDoc ? accepted.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
                batch[nb++] = doc;
                if (nb == batch.length) {
                    scoreBatch(segment, nb, dense, scratch);
                    nb = 0;
                }
            }
        } else {
            for (int doc = 0; doc < maxDoc; doc++) {
                if (live == null || live.get(doc)) {
                    batch[nb++] = doc;
                    if (nb == batch.length) {
                        scoreBatch(segment, nb, dense, scratch);
                        nb = 0;
                    }
                }
            }
        }
        scoreBatch(segment, nb, dense, scratch);
        scratch.ensureHits(wide);
        int n = top.drainInto(scratch.docs, scratch.scores);
        top.reset(k);
        rescore(values, dense, n, scratch);
    }

    private static void scoreBatch(SparseSegment segment, int n, float[] dense, LeafScratch scratch) {
        if (n == 0) {
            return;
        }
        scratch.sink += segment.seismic().dotBatch(scratch.batchDocs, n, dense, scratch.batchScores, scratch.batchStarts);
        for (int i = 0; i < n; i++) {
            offer(scratch.top, scratch.batchDocs[i], scratch.batchScores[i]);
        }
    }

    /**
     * How many of the {@code n} hits (best first) can still enter the collection's top-k: those
     * within {@value #FLOOR_SLACK} of the floor. Seismic scores come from the segment's
     * half-float forward index, whose relative error on a dot product stays far below that slack,
     * so a hit under it cannot beat the floor once rescored; it is not read back from doc values.
     */
    private static int reachingFloor(int n, float[] scores, float floor) {
        float bar = floor * (1f - FLOOR_SLACK);
        int m = n;
        while (m > 0 && scores[m - 1] < bar) {
            m--;
        }
        return m;
    }

    private static final float FLOOR_SLACK = 0.01f;

    /**
     * Replaces Seismic's scores (computed from its possibly quantised forward index) by the true
     * dot products of the stored float vectors, so that scores are comparable across segments and
     * equal to what exact search reports for the same document.
     */
    private static void rescore(BinaryDocValues values, float[] dense, int n, LeafScratch scratch) throws IOException {
        int[] docs = scratch.docs;
        Arrays.sort(docs, 0, n);
        for (int i = 0; i < n; i++) {
            if (values.advanceExact(docs[i])) {
                offer(scratch.top, docs[i], VectorBytes.dot(values.binaryValue(), dense, scratch.bytes));
            }
        }
    }

    private boolean selective(int passing, int liveDocs) {
        return passing <= options.filterExactMaxDocs() || passing <= options.filterExactFraction() * liveDocs;
    }

    /**
     * Exact scan of the stored vectors (the reference every other path is measured against, see
     * {@link #scanTopDocs}): mode exact on a segment with a Seismic structure, and few passing
     * documents in a segment without one.
     */
    private static void exactLeaf(BinaryDocValues values, FixedBitSet accepted, int maxDoc, Bits live, float[] dense,
            LeafScratch scratch) throws IOException {
        TopK top = scratch.top;
        if (accepted != null) {
            for (int doc = accepted.nextSetBit(0); doc < maxDoc;
                    doc = doc + 1 < maxDoc ? accepted.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
                if (values.advanceExact(doc)) {
                    offer(top, doc, VectorBytes.dot(values.binaryValue(), dense, scratch.bytes));
                }
            }
        } else {
            for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                if (live == null || live.get(doc)) {
                    offer(top, doc, VectorBytes.dot(values.binaryValue(), dense, scratch.bytes));
                }
            }
        }
    }

    private static void offer(TopK top, int doc, float score) {
        // A document sharing no term with the query is not a match.
        if (score > 0f) {
            top.offer(doc, score);
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String defaultField) {
        return "SparseQuery(" + field + ", terms=" + vector.size() + ", k=" + k
                + (options.exact() ? ", exact" : "") + (filter == null ? "" : ", filter=" + filter) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && o instanceof SparseQuery q && field.equals(q.field) && vector.equals(q.vector)
                && dim == q.dim && k == q.k && Objects.equals(filter, q.filter) && options.equals(q.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field, vector, dim, k, filter, options);
    }
}
