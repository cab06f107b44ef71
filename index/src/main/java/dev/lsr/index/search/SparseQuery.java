package dev.lsr.index.search;

import dev.lsr.index.codec.SegmentLists;
import dev.lsr.index.search.SegmentSearch.LeafScratch;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.search.SearchParams;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
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
 * sequential and concurrent searches return identical hits. How one segment is searched is
 * {@link LeafSearch}'s job; collecting the segments' hits into one top-k, with one rescoring for
 * the whole collection, is {@link CollectionTop}'s.
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
        SegmentSearch.LeafOrder order = segments.order(reader);
        List<LeafReaderContext> leaves = order.largestFirst();
        if (leaves.isEmpty()) {
            return new TopK(k).drainBestFirst();
        }
        LeafSearch leafSearch = new LeafSearch(field, vector, k, options);
        CollectionTop top = segments.acquireTop(k, new SearchParams(k, 1, 1f, false).rerankDepth(), leaves.size());
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
            int split = order.leadingHalf();
            LeafScratch scratch = segments.acquireLeaf();
            try {
                for (int i = 0; i < split; i++) {
                    LeafReaderContext ctx = leaves.get(i);
                    top.add(ctx, scratch, leafSearch.search(ctx, filterWeight, dense, top.floor(), scratch));
                }
            } finally {
                segments.releaseLeaf(scratch);
            }
            if (split < leaves.size()) {
                top.settle(reader, dense, segments);
                segments.searchAll(leaves.subList(split, leaves.size()), leafSearch, filterWeight, dense, top.floor(),
                        top);
            }
            return top.finish(reader, field, dense, segments);
        } finally {
            for (int i = 0; i < vector.size(); i++) {
                if (vector.index(i) < dim) {
                    dense[vector.index(i)] = 0f;
                }
            }
            segments.releaseDense(dense);
            segments.releaseTop(top);
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
                accepted = LeafSearch.accepted(ctx, filterWeight, maxDoc, live, scratch);
                if (accepted == null) {
                    continue;
                }
            }
            scratch.top.reset(k);
            LeafSearch.exactLeaf(values, accepted, maxDoc, live, dense, scratch);
            scratch.ensureHits(k);
            int n = scratch.top.drainInto(scratch.docs, scratch.scores);
            for (int i = 0; i < n; i++) {
                global.offer(ctx.docBase + scratch.docs[i], scratch.scores[i]);
            }
        }
        return global.drainBestFirst();
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
