package dev.lsr.index.search;

import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseSegment;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.util.Objects;
import java.util.function.IntPredicate;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * Top-k sparse dot-product search as a Lucene query. Rewriting runs the search: per segment,
 * Seismic approximate top-k (or an exact scan when the segment has no Seismic structure, the
 * request is exact, or the filter lets few documents through), honouring deletions and the
 * filter; then the global top-k across segments. The rewritten query matches exactly those k
 * documents with their dot products as scores, so it composes with the rest of Lucene.
 */
public final class SparseQuery extends Query {

    private final String field;
    private final SparseVector vector;
    private final int dim;
    private final int k;
    private final Query filter;
    private final SparseSearchOptions options;

    public SparseQuery(String field, SparseVector vector, int dim, int k, Query filterOrNull, SparseSearchOptions options) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        this.field = Objects.requireNonNull(field);
        this.vector = Objects.requireNonNull(vector);
        this.dim = dim;
        this.k = k;
        this.filter = filterOrNull;
        this.options = Objects.requireNonNull(options);
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
        float[] dense = new float[dim];
        for (int i = 0; i < vector.size(); i++) {
            // Ids outside the vocabulary occur in no document, so they cannot contribute.
            if (vector.index(i) < dim) {
                dense[vector.index(i)] = vector.value(i);
            }
        }
        TopK global = new TopK(k);
        int[] leafDocs = new int[k];
        float[] leafScores = new float[k];
        for (LeafReaderContext ctx : reader.leaves()) {
            int n = searchLeaf(ctx, filterWeight, dense, leafDocs, leafScores);
            for (int i = 0; i < n; i++) {
                global.offer(ctx.docBase + leafDocs[i], leafScores[i]);
            }
        }
        return global.drainBestFirst();
    }

    private int searchLeaf(LeafReaderContext ctx, Weight filterWeight, float[] dense, int[] outDocs, float[] outScores)
            throws IOException {
        BinaryDocValues values = ctx.reader().getBinaryDocValues(field);
        if (values == null) {
            return 0;
        }
        Bits live = ctx.reader().getLiveDocs();
        FixedBitSet accepted = null;
        if (filterWeight != null) {
            Scorer scorer = filterWeight.scorer(ctx);
            if (scorer == null) {
                return 0;
            }
            accepted = new FixedBitSet(ctx.reader().maxDoc());
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live == null || live.get(doc)) {
                    accepted.set(doc);
                }
            }
            if (accepted.cardinality() == 0) {
                return 0;
            }
        }
        SparseSegment segment = values instanceof SparseBinaryDocValues s ? s.segment() : null;
        boolean exact = options.exact() || segment == null || !segment.hasStructure()
                || (accepted != null && selective(accepted.cardinality(), ctx.reader().numDocs()));
        if (exact) {
            return exactLeaf(values, accepted, live, dense, outDocs, outScores);
        }
        IntPredicate accept = accepted != null ? accepted::get : live != null ? live::get : null;
        int n = segment.seismic().search(vector, k, options.queryCut(), options.heapFactor(), options.knn(), accept, outDocs, outScores);
        return rescore(values, dense, n, outDocs, outScores);
    }

    /**
     * Replaces Seismic's scores (computed from its possibly quantised forward index) by the true
     * dot products of the stored float vectors, so that scores are comparable across segments and
     * equal to what exact search reports for the same document.
     */
    private int rescore(BinaryDocValues values, float[] dense, int n, int[] docs, float[] scores) throws IOException {
        java.util.Arrays.sort(docs, 0, n);
        TopK top = new TopK(k);
        ByteArrayDataInput scratch = new ByteArrayDataInput();
        for (int i = 0; i < n; i++) {
            if (values.advanceExact(docs[i])) {
                offer(top, docs[i], VectorBytes.dot(values.binaryValue(), dense, scratch));
            }
        }
        ScoredDocs s = top.drainBestFirst();
        System.arraycopy(s.docs(), 0, docs, 0, s.size());
        System.arraycopy(s.scores(), 0, scores, 0, s.size());
        return s.size();
    }

    private boolean selective(int passing, int liveDocs) {
        return passing <= options.filterExactMaxDocs() || passing <= options.filterExactFraction() * liveDocs;
    }

    /** Exact scan of the stored vectors (the reference every approximate result is measured against). */
    private int exactLeaf(BinaryDocValues values, FixedBitSet accepted, Bits live, float[] dense, int[] outDocs,
            float[] outScores) throws IOException {
        TopK top = new TopK(k);
        ByteArrayDataInput scratch = new ByteArrayDataInput();
        if (accepted != null) {
            int maxDoc = accepted.length();
            for (int doc = accepted.nextSetBit(0); doc != DocIdSetIterator.NO_MORE_DOCS;
                    doc = doc + 1 < maxDoc ? accepted.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
                if (values.advanceExact(doc)) {
                    offer(top, doc, VectorBytes.dot(values.binaryValue(), dense, scratch));
                }
            }
        } else {
            for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                if (live == null || live.get(doc)) {
                    offer(top, doc, VectorBytes.dot(values.binaryValue(), dense, scratch));
                }
            }
        }
        ScoredDocs s = top.drainBestFirst();
        System.arraycopy(s.docs(), 0, outDocs, 0, s.size());
        System.arraycopy(s.scores(), 0, outScores, 0, s.size());
        return s.size();
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
