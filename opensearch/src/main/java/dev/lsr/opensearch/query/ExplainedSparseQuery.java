package dev.lsr.opensearch.query;

import dev.lsr.index.TermContribution;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.index.search.Explanations;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

/**
 * lsr's {@code SparseQuery} (or what it rewrote to) with explanations that break a hit's dot
 * product into per-term contributions, read back from the document's stored vector. Matching and
 * scoring are the inner query's.
 */
final class ExplainedSparseQuery extends Query {

    private final Query inner;
    private final String field;
    private final SparseVector vector;
    private final int dim;
    /** Names the terms in explanations; null when the field has no vocabulary. */
    private final Vocabulary vocabulary;

    ExplainedSparseQuery(Query inner, String field, SparseVector vector, int dim, Vocabulary vocabulary) {
        this.inner = inner;
        this.field = field;
        this.vector = vector;
        this.dim = dim;
        this.vocabulary = vocabulary;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Query rewritten = inner.rewrite(searcher);
        return rewritten == inner ? this : new ExplainedSparseQuery(rewritten, field, vector, dim, vocabulary);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        return new FilterWeight(this, inner.createWeight(searcher, scoreMode, boost)) {
            @Override
            public Explanation explain(LeafReaderContext ctx, int doc) throws IOException {
                Explanation score = super.explain(ctx, doc);
                if (!score.isMatch()) {
                    return score;
                }
                BinaryDocValues values = ctx.reader().getBinaryDocValues(field);
                if (values == null || !values.advanceExact(doc)) {
                    return score;
                }
                List<TermContribution> terms = Explanations.contributions(vector, VectorBytes.decode(values.binaryValue(), dim));
                Explanation[] details = new Explanation[terms.size()];
                for (int i = 0; i < details.length; i++) {
                    TermContribution t = terms.get(i);
                    details[i] = Explanation.match(t.contribution(),
                            "term " + t.termId() + (vocabulary == null ? "" : " '" + vocabulary.token(t.termId()) + "'")
                                    + ": query weight " + t.queryWeight() + " x document weight " + t.documentWeight());
                }
                return Explanation.match(score.getValue(), "sparse dot product over " + details.length
                        + " shared terms of field [" + field + "]" + (boost != 1f ? " (x boost " + boost + ")" : ""), details);
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        inner.visit(visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String defaultField) {
        return inner.toString(defaultField);
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && o instanceof ExplainedSparseQuery q && inner.equals(q.inner) && field.equals(q.field)
                && vector.equals(q.vector) && dim == q.dim;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), inner, field, vector, dim);
    }
}
