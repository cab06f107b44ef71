package dev.lsr.langchain4j;

import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.lsr.client.Hit;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.SearchMode;
import dev.lsr.client.SearchParams;
import dev.lsr.client.SearchQuery;
import dev.lsr.client.SearchResult;
import dev.lsr.client.SparseVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A LangChain4j {@link ContentRetriever} over an lsr collection, in this process (an embedded
 * engine) or over HTTP ({@link dev.lsr.client.LsrClient}). The query text is encoded by the
 * collection's model (sparse, hybrid) and/or searched with BM25 (bm25, hybrid) — without a
 * {@code mode}, as the collection's model recommends (hybrid for the default zero-shot model), like a
 * REST request without one — filtered by the
 * LangChain4j {@link Filter} mapped by {@link LsrFilters}; at most {@code maxResults} hits with a
 * score of at least {@code minScore} come back as {@link Content}s (see {@link Segments} for the
 * mapping).
 *
 * <pre>{@code
 * ContentRetriever retriever = LsrContentRetriever.builder()
 *         .lsr(LsrClient.create(URI.create("http://localhost:8080")))
 *         .collection("docs").maxResults(5)
 *         .filter(metadataKey("lang").isEqualTo("en"))
 *         .build();
 * }</pre>
 */
public final class LsrContentRetriever implements ContentRetriever {

    private final LsrOperations lsr;
    private final String collection;
    private final SearchMode mode;
    private final int maxResults;
    private final Double minScore;
    private final Function<Query, Filter> filter;
    private final SearchParams params;
    private final Function<String, SparseVector> queryEncoder;
    private final String idKey;

    private LsrContentRetriever(Builder b) {
        this.lsr = Objects.requireNonNull(b.lsr, "lsr (an LsrClient or an embedded engine) is required");
        this.collection = Objects.requireNonNull(b.collection, "collection is required");
        this.mode = b.mode;
        this.maxResults = b.maxResults;
        this.minScore = b.minScore;
        this.filter = b.filter;
        this.params = b.params;
        this.queryEncoder = b.queryEncoder;
        this.idKey = b.idKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> retrieve(Query query) {
        SearchResult result = lsr.search(collection, searchQuery(query));
        List<Content> out = new ArrayList<>(result.hits().size());
        for (Hit hit : result.hits()) {
            if (minScore != null && hit.score() < minScore) {
                break; // hits come best first
            }
            out.add(Segments.toContent(hit, idKey));
        }
        return out;
    }

    /** The lsr search this retriever runs for {@code query} (its filter mapped, its vector encoded when configured). */
    SearchQuery searchQuery(Query query) {
        String text = query.text();
        SearchQuery q = SearchQuery.text(text).withK(maxResults).withMode(mode).withParams(params);
        if (queryEncoder != null && mode != SearchMode.BM25) {
            q = q.withVector(queryEncoder.apply(text));
        }
        return q.withFilter(LsrFilters.toLsr(filter.apply(query)));
    }

    /** Options; {@code lsr} and {@code collection} are required. */
    public static final class Builder {
        private LsrOperations lsr;
        private String collection;
        private SearchMode mode;
        private int maxResults = 3;
        private Double minScore;
        private Function<Query, Filter> filter = q -> null;
        private SearchParams params = SearchParams.defaults();
        private Function<String, SparseVector> queryEncoder;
        private String idKey = "id";

        private Builder() {}

        /** Where the collection lives: an {@link dev.lsr.client.LsrClient}, or an embedded engine's adapter. */
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
         * without recommendations or a collection without a model).
         */
        public Builder mode(SearchMode searchMode) {
            this.mode = searchMode;
            return this;
        }

        /** At most this many contents (default 3, as LangChain4j's embedding-store retriever). */
        public Builder maxResults(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxResults must be >= 1, was " + n);
            }
            this.maxResults = n;
            return this;
        }

        /**
         * Drop hits scoring below this. Scores are the mode's own: sparse dot products and BM25 are
         * unbounded, hybrid linear fusion is in [0, 1], RRF about 1 / (60 + rank); default none. With a
         * threshold, name the mode too: the recommended one depends on the collection's model.
         */
        public Builder minScore(double score) {
            this.minScore = score;
            return this;
        }

        /** The same metadata filter for every query. */
        public Builder filter(Filter f) {
            this.filter = q -> f;
            return this;
        }

        /** A filter chosen per query (e.g. from the user in {@code query.metadata()}). */
        public Builder dynamicFilter(Function<Query, Filter> f) {
            this.filter = Objects.requireNonNull(f, "dynamicFilter");
            return this;
        }

        /** Search knobs (query cut, heap factor, fusion and its weights, ...). */
        public Builder params(SearchParams p) {
            this.params = Objects.requireNonNull(p, "params");
            return this;
        }

        /**
         * Encodes the query text into a vector on this side, for collections without a model (their
         * documents came pre-encoded). Not used in BM25 mode.
         */
        public Builder queryEncoder(Function<String, SparseVector> encoder) {
            this.queryEncoder = encoder;
            return this;
        }

        /** The TextSegment metadata key that carries the document id (default {@code id}). */
        public Builder idKey(String key) {
            this.idKey = Objects.requireNonNull(key, "idKey");
            return this;
        }

        public LsrContentRetriever build() {
            return new LsrContentRetriever(this);
        }
    }
}
