package dev.lsr.index.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

/**
 * Matches a precomputed set of top-level documents with precomputed scores: what
 * {@link SparseQuery} rewrites to. Bound to the reader it was computed on.
 */
final class ScoredDocsQuery extends Query {

    private final Object readerId;
    private final int[] docs;
    private final float[] scores;

    ScoredDocsQuery(Object readerId, ScoredDocs hits) {
        this.readerId = readerId;
        int n = hits.size();
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = ((long) hits.docs()[i] << 32) | i;
        }
        Arrays.sort(order);
        this.docs = new int[n];
        this.scores = new float[n];
        for (int i = 0; i < n; i++) {
            docs[i] = (int) (order[i] >>> 32);
            scores[i] = hits.scores()[(int) order[i]];
        }
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        if (searcher.getIndexReader().getContext().id() != readerId) {
            throw new IllegalStateException("a rewritten SparseQuery must run on the reader it was rewritten with");
        }
        return new Weight(this) {
            @Override
            public Explanation explain(LeafReaderContext ctx, int doc) {
                int i = Arrays.binarySearch(docs, ctx.docBase + doc);
                return i >= 0
                        ? Explanation.match(scores[i] * boost, "sparse dot product")
                        : Explanation.noMatch("not in the sparse top-k");
            }

            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext ctx) {
                int lo = lowerBound(ctx.docBase);
                int hi = lowerBound(ctx.docBase + ctx.reader().maxDoc());
                if (lo == hi) {
                    return null;
                }
                return new ScorerSupplier() {
                    @Override
                    public Scorer get(long leadCost) {
                        return new SliceScorer(ctx.docBase, lo, hi, boost);
                    }

                    @Override
                    public long cost() {
                        return hi - lo;
                    }
                };
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    private int lowerBound(int doc) {
        int i = Arrays.binarySearch(docs, doc);
        return i >= 0 ? i : -i - 1;
    }

    private final class SliceScorer extends Scorer {
        private final int docBase;
        private final int lo;
        private final int hi;
        private final float boost;
        private int pos = -1;

        SliceScorer(int docBase, int lo, int hi, float boost) {
            this.docBase = docBase;
            this.lo = lo;
            this.hi = hi;
            this.boost = boost;
        }

        @Override
        public int docID() {
            if (pos < 0) {
                return -1;
            }
            return pos >= hi ? DocIdSetIterator.NO_MORE_DOCS : docs[pos] - docBase;
        }

        @Override
        public float score() {
            return scores[pos] * boost;
        }

        @Override
        public float getMaxScore(int upTo) {
            float max = 0f;
            for (int i = Math.max(lo, pos); i < hi && docs[i] - docBase <= upTo; i++) {
                max = Math.max(max, scores[i] * boost);
            }
            return max;
        }

        @Override
        public DocIdSetIterator iterator() {
            return new DocIdSetIterator() {
                @Override
                public int docID() {
                    return SliceScorer.this.docID();
                }

                @Override
                public int nextDoc() {
                    pos = pos < 0 ? lo : pos + 1;
                    return docID();
                }

                @Override
                public int advance(int target) {
                    int i = Math.max(pos < 0 ? lo : pos, lowerBound(docBase + target));
                    pos = Math.min(i, hi);
                    return docID();
                }

                @Override
                public long cost() {
                    return hi - lo;
                }
            };
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "ScoredDocsQuery(" + docs.length + " docs)";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && o instanceof ScoredDocsQuery q && readerId == q.readerId
                && Arrays.equals(docs, q.docs) && Arrays.equals(scores, q.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), System.identityHashCode(readerId), Arrays.hashCode(docs), Arrays.hashCode(scores));
    }
}
