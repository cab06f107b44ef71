package dev.lsr.index.search;

import dev.lsr.index.codec.SparseSegment;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.index.search.LeafSearch.Scores;
import dev.lsr.index.search.SegmentSearch.LeafScratch;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;

/**
 * The collection's side of one sparse search: every segment's hits (top-level doc ids) as they
 * come, the floor they set for the segments still to search, and the final top-k.
 *
 * <p>Hits arrive with one of three kinds of score ({@link Scores}). Sketch-scored candidates of all
 * segments compete for one pool of {@code depth} (the rerank depth one Seismic index uses alone),
 * and only that pool is rescored from the segments' forward indexes at the end: ten segments
 * rescore as many documents as one merged segment, not ten times as many. Forward-index scores are
 * then rescored from the stored float vectors where they can still reach the top-k, once for the
 * collection (reads about k stored vectors whatever the number of segments).
 */
final class CollectionTop {

    private int k;
    /** The k best hits with forward-index or exact scores. */
    private final TopK top = new TopK(10);
    private final Candidates candidates = new Candidates();
    /** The best {@code depth} sketch-scored candidates of all segments. */
    private final TopK sketchPool = new TopK(100);
    /** The k best sketch scores: a floor too, since a sketch score never exceeds the document's score. */
    private final TopK sketchTop = new TopK(10);
    /** The final top-k (reused: only the result arrays are allocated per search). */
    private final TopK result = new TopK(10);
    /**
     * After {@link #settle}: the sketch score the settled pool's last candidate had; a later
     * candidate below it would not have entered the pool, so it is not kept.
     */
    private float sketchBar;
    /**
     * By leaf ordinal, the Seismic structure of each segment that returned sketch-scored
     * candidates: they are rescored from it (asking the leaf's doc values for it again would
     * allocate a doc-values reader per segment and query).
     */
    private SparseSegment[] structures = new SparseSegment[16];

    /** Empty, for a search of {@code k} hits whose segments return up to {@code depth} sketch-scored candidates. */
    CollectionTop reset(int k, int depth, int leaves) {
        this.k = k;
        if (structures.length < leaves) {
            structures = new SparseSegment[leaves];
        } else {
            Arrays.fill(structures, null);
        }
        top.reset(k);
        sketchPool.reset(depth);
        sketchTop.reset(k);
        result.reset(k);
        candidates.size = 0;
        sketchBar = Float.NEGATIVE_INFINITY;
        return this;
    }

    /**
     * The score k hits already reach (0 before k hits: no floor): a lower bound of the final k-th
     * score, so a segment may skip whatever cannot beat it.
     */
    float floor() {
        float f = 0f;
        if (top.size() == k) {
            f = Math.max(f, top.minScore());
        }
        if (sketchTop.size() == k) {
            f = Math.max(f, sketchTop.minScore());
        }
        return f;
    }

    /** A segment's hits ({@code docs[0, n)}, segment doc ids); {@code structure} when they are sketch-scored. */
    void add(LeafReaderContext ctx, SparseSegment structure, int[] docs, float[] scores, int n, Scores kind) {
        int docBase = ctx.docBase;
        if (kind == Scores.SKETCH) {
            structures[ctx.ord] = structure;
        }
        // Each hit is offered with its top-level id; TopK's tie-break (lower id) makes the result
        // independent of the order in which segments arrive.
        for (int i = 0; i < n; i++) {
            int doc = docBase + docs[i];
            if (kind == Scores.SKETCH) {
                if (scores[i] < sketchBar) {
                    continue;
                }
                sketchPool.offer(doc, scores[i]);
                sketchTop.offer(doc, scores[i]);
            } else {
                top.offer(doc, scores[i]);
                candidates.add(doc, scores[i], kind == Scores.FORWARD);
            }
        }
    }

    void add(LeafReaderContext ctx, LeafScratch scratch, Scores kind) {
        add(ctx, scratch.segment, scratch.docs, scratch.scores, scratch.hits, kind);
    }

    /**
     * Rescores the sketch-scored candidates so far from their segments' forward indexes, so that
     * the floor the segments still to search start from is the k-th of those scores, not the
     * lower k-th sketch score. Later candidates are kept only when their sketch scores reach the
     * last of a full settled pool (they would not have entered it), so each later settle rescores
     * at most {@code depth} documents, usually far fewer.
     */
    void settle(IndexReader reader, float[] dense, SegmentSearch segments) {
        if (sketchPool.size() == 0) {
            return;
        }
        boolean full = sketchPool.size() == sketchPool.k();
        float last = sketchPool.minScore();
        LeafScratch scratch = segments.acquireLeaf();
        try {
            rescoreSketches(reader.leaves(), dense, scratch);
        } finally {
            segments.releaseLeaf(scratch);
        }
        if (full) {
            // The settled pool was full: its last score bars later candidates (a pool not full
            // above the earlier bar leaves that bar, the weaker one, in place).
            sketchBar = Math.max(sketchBar, last);
        }
    }

    /**
     * The final top-k: the sketch pool rescored from the segments' forward indexes, then the
     * candidates that can still make it (within {@link LeafSearch#FLOOR_SLACK} of the k-th score)
     * rescored from the stored float vectors where their scores are the forward index's.
     */
    ScoredDocs finish(IndexReader reader, String field, float[] dense, SegmentSearch segments) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafScratch scratch = segments.acquireLeaf();
        try {
            if (sketchPool.size() > 0) {
                rescoreSketches(leaves, dense, scratch);
            }
            return rescored(leaves, field, dense, scratch);
        } finally {
            segments.releaseLeaf(scratch);
        }
    }

    private void rescoreSketches(List<LeafReaderContext> leaves, float[] dense, LeafScratch scratch) {
        scratch.ensureHits(sketchPool.size());
        int n = sketchPool.drainInto(scratch.docs, scratch.scores);
        int[] docs = scratch.docs;
        Arrays.sort(docs, 0, n);
        scratch.ensureBatch(n);
        int i = 0;
        while (i < n) {
            int li = ReaderUtil.subIndex(docs[i], leaves);
            LeafReaderContext ctx = leaves.get(li);
            int end = ctx.docBase + ctx.reader().maxDoc();
            int m = 0;
            while (i < n && docs[i] < end) {
                scratch.batchDocs[m++] = docs[i++] - ctx.docBase;
            }
            scratch.sink += structures[ctx.ord].seismic().dotBatch(scratch.batchDocs, m, dense, scratch.batchScores,
                    scratch.batchStarts);
            for (int j = 0; j < m; j++) {
                float score = scratch.batchScores[j];
                if (score > 0f) {
                    top.offer(ctx.docBase + scratch.batchDocs[j], score);
                    candidates.add(ctx.docBase + scratch.batchDocs[j], score, true);
                }
            }
        }
    }

    private ScoredDocs rescored(List<LeafReaderContext> leaves, String field, float[] dense, LeafScratch scratch)
            throws IOException {
        float bar = top.size() == k ? top.minScore() * (1f - LeafSearch.FLOOR_SLACK) : Float.NEGATIVE_INFINITY;
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
                    LeafSearch.offer(result, doc, VectorBytes.dot(values.binaryValue(), dense, scratch.bytes));
                }
            }
        }
        return result.drainBestFirst();
    }

    /**
     * Every hit with a forward-index or exact score that reached the top-k when it arrived:
     * top-level id, score, and whether the score is the forward index's (rescored at the end).
     */
    private static final class Candidates {
        int[] docs;
        float[] scores;
        boolean[] approximate;
        int size;

        Candidates() {
            docs = new int[64];
            scores = new float[64];
            approximate = new boolean[64];
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
}
