package dev.lsr.index.search;

import dev.lsr.index.codec.SegmentLists;
import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseSegment;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.index.search.SegmentSearch.LeafScratch;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.search.SearchParams;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * One segment's part of a sparse search: chooses how to search the segment (Seismic, Seismic under
 * a widened filter, exact over its forward index, its unpruned lists or its stored vectors) and
 * leaves its hits in the scratch ({@link LeafScratch#hits} of {@code docs} / {@code scores}, segment
 * doc ids; best first except sketch-scored candidates) with the {@link Scores} they carry. Immutable per query; one instance serves
 * every thread of the search, each with its own scratch.
 */
final class LeafSearch {

    /** What the scores a segment returned are, and so what rescoring they still need. */
    enum Scores {
        /** Dot products of the stored float vectors: final. */
        EXACT,
        /** From the segment's (half-float) forward index: rescored from the stored floats at the end. */
        FORWARD,
        /**
         * Document sketches' scores of the segment's best {@link SearchParams#rerankDepth()}
         * candidates, never above the forward-index score: the collection rescores only its best
         * candidates of all segments from the forward indexes.
         */
        SKETCH
    }

    private final String field;
    private final SparseVector vector;
    private final int k;
    private final SparseSearchOptions options;

    LeafSearch(String field, SparseVector vector, int k, SparseSearchOptions options) {
        this.field = field;
        this.vector = vector;
        this.k = k;
        this.options = options;
    }

    /**
     * The segment's hits into {@code scratch}. Seismic when the segment has a structure and the
     * filter lets many documents through (sketch or forward-index scores); an exact path otherwise,
     * and also when Seismic under the filter or deletions could not fill {@code min(k, passing)}
     * although no other segment's hits set a floor.
     */
    Scores search(LeafReaderContext ctx, Weight filterWeight, float[] dense, float floor, LeafScratch scratch)
            throws IOException {
        scratch.hits = 0;
        scratch.segment = null;
        TopK top = scratch.top;
        top.reset(k);
        BinaryDocValues values = ctx.reader().getBinaryDocValues(field);
        if (values == null) {
            return Scores.EXACT;
        }
        int maxDoc = ctx.reader().maxDoc();
        Bits live = ctx.reader().getLiveDocs();
        FixedBitSet accepted = null;
        int passing = ctx.reader().numDocs();
        if (filterWeight != null) {
            accepted = accepted(ctx, filterWeight, maxDoc, live, scratch);
            passing = accepted == null ? 0 : accepted.cardinality(0, maxDoc);
            if (passing == 0) {
                return Scores.EXACT;
            }
        }
        SparseSegment segment = values instanceof SparseBinaryDocValues s ? s.segment() : null;
        if (segment != null && !segment.hasStructure()) {
            listsLeaf(ctx, segment, values, accepted, passing, maxDoc, live, dense, scratch);
            return drained(scratch, Scores.EXACT);
        }
        if (options.exact() || segment == null) {
            exactLeaf(values, accepted, maxDoc, live, dense, scratch);
            return drained(scratch, Scores.EXACT);
        }
        if (accepted != null && selective(passing, ctx.reader().numDocs())) {
            forwardExact(segment, values, accepted, null, maxDoc, dense, scratch);
            return drained(scratch, Scores.EXACT);
        }
        IntPredicate accept = accepted != null ? accepted::get : live != null ? live::get : null;
        boolean tuned = options.segmentTuned() && segment.tunedQueryCut() > 0;
        // Under a filter the passing top-k lies deeper in the lists: widen in proportion.
        double selectivity = accepted == null ? 1.0 : passing / (double) ctx.reader().numDocs();
        int queryCut = FilterWidening.queryCut(tuned ? segment.tunedQueryCut() : options.queryCut(), selectivity);
        double heapFactor = FilterWidening.heapFactor(tuned ? segment.tunedHeapFactor() : options.heapFactor(),
                selectivity);
        SearchParams params = new SearchParams(k, queryCut, (float) heapFactor, options.knn());
        int need = Math.min(k, passing);
        boolean sketched = segment.seismic().unrescored(params);
        scratch.ensureHits(sketched ? params.rerankDepth() : k);
        int n = segment.seismic().searchUnrescored(vector, params, floor, accept, scratch.docs, scratch.scores);
        if (sketched) {
            if (n >= need || floor > 0f) {
                scratch.hits = n;
                scratch.segment = segment;
                return Scores.SKETCH;
            }
        } else {
            // Forward-index scores, rescored once for the whole collection. Hits well below the
            // floor cannot enter the top-k.
            int m = reachingFloor(n, scratch.scores, floor);
            for (int i = 0; i < m; i++) {
                offer(top, scratch.docs[i], scratch.scores[i]);
            }
            if (top.size() >= need || floor > 0f) {
                return drained(scratch, Scores.FORWARD);
            }
        }
        // Too few hits and no other segment holds k. Reading the query's whole pruned lists
        // costs about their postings; scanning the passing documents costs one forward-index
        // vector each (several postings' worth): the lists first when they are the cheaper.
        if (segment.seismic().postingsOf(vector) < passing) {
            top.reset(k);
            n = segment.seismic().search(vector, k, Integer.MAX_VALUE, 0.0, false, 0f, accept, scratch.docs,
                    scratch.scores);
            rescore(ctx.reader().getBinaryDocValues(field), dense, n, scratch);
            if (top.size() >= need) {
                return drained(scratch, Scores.EXACT);
            }
        }
        // The pruned lists hold too few passing matches: the passing documents, exactly.
        forwardExact(segment, ctx.reader().getBinaryDocValues(field), accepted, live, maxDoc, dense, scratch);
        return drained(scratch, Scores.EXACT);
    }

    /**
     * The live documents the filter accepts, in the scratch's pooled bitset; null when none can
     * pass. Word-wise when the filter is a bitset (Lucene's query cache keeps frequent filters so).
     */
    static FixedBitSet accepted(LeafReaderContext ctx, Weight filterWeight, int maxDoc, Bits live, LeafScratch scratch)
            throws IOException {
        Scorer scorer = filterWeight.scorer(ctx);
        if (scorer == null) {
            return null;
        }
        DocIdSetIterator it = scorer.iterator();
        if (it.nextDoc() == DocIdSetIterator.NO_MORE_DOCS) {
            return null;
        }
        FixedBitSet accepted = scratch.bits(maxDoc);
        it.intoBitSet(maxDoc, accepted, 0);
        if (live != null) {
            for (int doc = accepted.nextSetBit(0); doc < maxDoc;
                    doc = doc + 1 < maxDoc ? accepted.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
                if (!live.get(doc)) {
                    accepted.clear(doc);
                }
            }
        }
        return accepted;
    }

    /** Moves the scratch's top-k into its hit arrays, best first. */
    private Scores drained(LeafScratch scratch, Scores scores) {
        scratch.ensureHits(scratch.top.size());
        scratch.hits = scratch.top.drainInto(scratch.docs, scratch.scores);
        return scores;
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
     * within {@value #FLOOR_SLACK} of the floor. Forward-index scores come from the segment's
     * half-float weights, whose relative error on a dot product stays far below that slack, so a
     * hit under it cannot beat the floor once rescored; it is not read back from doc values.
     */
    private static int reachingFloor(int n, float[] scores, float floor) {
        float bar = floor * (1f - FLOOR_SLACK);
        int m = n;
        while (m > 0 && scores[m - 1] < bar) {
            m--;
        }
        return m;
    }

    /** Relative margin within which a forward-index score may still beat a true one once rescored. */
    static final float FLOOR_SLACK = 0.01f;

    /**
     * Replaces forward-index scores (possibly quantised) of {@code scratch.docs[0, n)} by the true
     * dot products of the stored float vectors, into {@code scratch.top}, so that scores are
     * comparable across segments and equal to what exact search reports for the same document.
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
     * Exact scan of the stored vectors, into {@code scratch.top} (the reference every other path is
     * measured against, see {@link SparseQuery#scanTopDocs}): mode exact on a segment with a
     * Seismic structure, and few passing documents in a segment without one.
     */
    static void exactLeaf(BinaryDocValues values, FixedBitSet accepted, int maxDoc, Bits live, float[] dense,
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

    static void offer(TopK top, int doc, float score) {
        // A document sharing no term with the query is not a match.
        if (score > 0f) {
            top.offer(doc, score);
        }
    }
}
