package dev.lsr.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One search: text (encoded by the collection's model, and the BM25 text of bm25 and hybrid) and/or
 * a pre-encoded vector, with k, mode, filter, knobs and explanations. Without a mode the collection
 * runs its model's recommended search, as the REST API does for a request without one (hybrid for the
 * default zero-shot model, approximate sparse search for a model without recommendations or a
 * vectors-only collection); the result's {@link SearchResult#mode()} says which ran.
 *
 * <pre>{@code
 * SearchQuery q = SearchQuery.text("sparse retrieval").withK(5).withFilter(Filter.term("lang", "en"));
 * SearchQuery exact = q.withMode(SearchMode.EXACT);
 * }</pre>
 *
 * @param text query text, or null
 * @param vector a pre-encoded query vector used instead of encoding {@code text}, or null
 * @param k number of hits
 * @param mode how to search; null: the collection's recommended search
 * @param filter a metadata filter, or null
 * @param params search knobs
 * @param explain ask for per-term contributions on every hit and the query's terms
 * @param storedFields false: hits carry id and score only (title, text and metadata are not loaded;
 *     for candidates handed to a reranker)
 */
public record SearchQuery(String text, SparseVector vector, int k, SearchMode mode, Filter filter, SearchParams params,
        boolean explain, boolean storedFields) {

    public static final int DEFAULT_K = 10;

    public SearchQuery {
        if (text == null && vector == null) {
            throw new IllegalArgumentException("a search needs text or a vector");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        params = params == null ? SearchParams.defaults() : params;
    }

    /** The collection's recommended search for this text, k = 10. */
    public static SearchQuery text(String text) {
        return new SearchQuery(Objects.requireNonNull(text, "text"), null, DEFAULT_K, null, null, null, false, true);
    }

    /** The collection's recommended search for this vector (approximate sparse search), k = 10. */
    public static SearchQuery vector(SparseVector vector) {
        return new SearchQuery(null, Objects.requireNonNull(vector, "vector"), DEFAULT_K, null, null, null, false, true);
    }

    public SearchQuery withText(String newText) {
        return new SearchQuery(newText, vector, k, mode, filter, params, explain, storedFields);
    }

    public SearchQuery withVector(SparseVector newVector) {
        return new SearchQuery(text, newVector, k, mode, filter, params, explain, storedFields);
    }

    public SearchQuery withK(int newK) {
        return new SearchQuery(text, vector, newK, mode, filter, params, explain, storedFields);
    }

    /** A mode, or null for the collection's recommended search. */
    public SearchQuery withMode(SearchMode newMode) {
        return new SearchQuery(text, vector, k, newMode, filter, params, explain, storedFields);
    }

    public SearchQuery withFilter(Filter newFilter) {
        return new SearchQuery(text, vector, k, mode, newFilter, params, explain, storedFields);
    }

    public SearchQuery withParams(SearchParams newParams) {
        return new SearchQuery(text, vector, k, mode, filter, newParams, explain, storedFields);
    }

    public SearchQuery withExplain(boolean newExplain) {
        return new SearchQuery(text, vector, k, mode, filter, params, newExplain, storedFields);
    }

    /** False: hits with id and score only. */
    public SearchQuery withStoredFields(boolean newStoredFields) {
        return new SearchQuery(text, vector, k, mode, filter, params, explain, newStoredFields);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (text != null) {
            m.put("query", text);
        }
        if (vector != null) {
            m.put("vector", vector.toJson());
        }
        m.put("k", k);
        if (mode != null) {
            m.put("mode", mode.label());
        }
        if (filter != null) {
            m.put("filter", filter.toJson());
        }
        if (!params.isEmpty()) {
            m.put("params", params.toJson());
        }
        if (explain) {
            m.put("explain", true);
        }
        if (!storedFields) {
            m.put("stored_fields", false);
        }
        return m;
    }
}
