package dev.lsr.springai;

import dev.lsr.client.Hit;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.SearchMode;
import dev.lsr.client.SearchParams;
import dev.lsr.client.SearchQuery;
import dev.lsr.client.SparseVector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;
import org.springframework.ai.rag.retrieval.search.VectorStoreDocumentRetriever;
import org.springframework.ai.vectorstore.filter.Filter;

/**
 * A Spring AI {@link DocumentRetriever} (for {@code RetrievalAugmentationAdvisor}) over an lsr
 * collection, remote ({@link dev.lsr.client.LsrClient}) or embedded. A query's filter is its
 * context entry {@value VectorStoreDocumentRetriever#FILTER_EXPRESSION} (a {@link Filter.Expression}
 * or its text), as for Spring AI's vector-store retriever, else the configured one. Each hit becomes a
 * {@link Document}: id, text (else title, else id), metadata (plus {@code title}), score.
 */
public final class LsrDocumentRetriever implements DocumentRetriever {

    private final LsrOperations lsr;
    private final String collection;
    private final SearchMode mode;
    private final int topK;
    private final Double minScore;
    private final dev.lsr.client.Filter filter;
    private final SearchParams params;
    private final Function<String, SparseVector> queryEncoder;

    private LsrDocumentRetriever(Builder b) {
        this.lsr = Objects.requireNonNull(b.lsr, "lsr (an LsrClient or an embedded engine) is required");
        this.collection = Objects.requireNonNull(b.collection, "collection is required");
        this.mode = b.mode;
        this.topK = b.topK;
        this.minScore = b.minScore;
        this.filter = b.filter;
        this.params = b.params;
        this.queryEncoder = b.queryEncoder;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String collection() {
        return collection;
    }

    /** The mode asked for; null: the collection's recommended search. */
    public SearchMode mode() {
        return mode;
    }

    public int topK() {
        return topK;
    }

    @Override
    public List<Document> retrieve(Query query) {
        SearchQuery q = SearchQuery.text(query.text()).withK(topK).withMode(mode).withParams(params).withFilter(filter(query));
        if (queryEncoder != null && mode != SearchMode.BM25) {
            q = q.withVector(queryEncoder.apply(query.text()));
        }
        List<Hit> hits = lsr.search(collection, q).hits();
        List<Document> out = new ArrayList<>(hits.size());
        for (Hit h : hits) {
            if (minScore != null && h.score() < minScore) {
                break; // best first
            }
            out.add(document(h));
        }
        return out;
    }

    private dev.lsr.client.Filter filter(Query query) {
        Object f = query.context().get(VectorStoreDocumentRetriever.FILTER_EXPRESSION);
        return switch (f) {
            case null -> filter;
            case Filter.Expression e -> LsrFilterExpressions.toLsr(e);
            case String s when !s.isBlank() -> LsrFilterExpressions.parse(s);
            case String s -> filter;
            default -> throw new IllegalArgumentException("query context '" + VectorStoreDocumentRetriever.FILTER_EXPRESSION
                    + "' must be a Filter.Expression or its text, was " + f.getClass().getName());
        };
    }

    static Document document(Hit h) {
        Map<String, Object> metadata = new LinkedHashMap<>(h.metadata());
        if (h.title() != null) {
            metadata.put("title", h.title());
        }
        String text = h.text() != null && !h.text().isBlank() ? h.text() : h.title() != null && !h.title().isBlank() ? h.title() : h.id();
        return Document.builder().id(h.id()).text(text).metadata(metadata).score((double) h.score()).build();
    }

    /** Options; {@code lsr} and {@code collection} are required. */
    public static final class Builder {
        private LsrOperations lsr;
        private String collection;
        private SearchMode mode;
        private int topK = 4;
        private Double minScore;
        private dev.lsr.client.Filter filter;
        private SearchParams params = SearchParams.defaults();
        private Function<String, SparseVector> queryEncoder;

        private Builder() {}

        public Builder lsr(LsrOperations operations) {
            this.lsr = operations;
            return this;
        }

        public Builder collection(String name) {
            this.collection = name;
            return this;
        }

        /**
         * APPROXIMATE, EXACT, BM25 or HYBRID; null (the default): the collection's recommended search
         * (its model's: hybrid for the default zero-shot model, approximate sparse search for a model
         * without recommendations or a collection without a model), as a REST request without a mode.
         */
        public Builder mode(SearchMode m) {
            this.mode = m;
            return this;
        }

        /** Documents per query (default 4, as Spring AI's vector-store retriever). */
        public Builder topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("topK must be >= 1, was " + k);
            }
            this.topK = k;
            return this;
        }

        /** Drop hits scoring below this (the mode's own scale: name the mode too); default none. */
        public Builder minScore(Double s) {
            this.minScore = s;
            return this;
        }

        /** The filter for queries that bring none in their context. */
        public Builder filter(dev.lsr.client.Filter f) {
            this.filter = f;
            return this;
        }

        /** The same, as a Spring AI expression ({@code "lang == 'en'"}). */
        public Builder filterExpression(String expression) {
            this.filter = expression == null || expression.isBlank() ? null : LsrFilterExpressions.parse(expression);
            return this;
        }

        public Builder params(SearchParams p) {
            this.params = Objects.requireNonNull(p, "params");
            return this;
        }

        /** Encodes query text on this side, for collections without a model. */
        public Builder queryEncoder(Function<String, SparseVector> encoder) {
            this.queryEncoder = encoder;
            return this;
        }

        public LsrDocumentRetriever build() {
            return new LsrDocumentRetriever(this);
        }
    }
}
