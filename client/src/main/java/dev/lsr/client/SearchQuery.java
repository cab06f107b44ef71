package dev.lsr.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One search: text (encoded by the collection's model, and the BM25 text of bm25 and hybrid) and/or
 * a pre-encoded vector, with k, mode, filter, knobs and explanations.
 *
 * <pre>{@code
 * SearchQuery q = SearchQuery.text("sparse retrieval").withK(5).withMode(SearchMode.HYBRID)
 *         .withFilter(Filter.term("lang", "en"));
 * }</pre>
 *
 * @param text query text, or null
 * @param vector a pre-encoded query vector used instead of encoding {@code text}, or null
 * @param k number of hits
 * @param mode how to search
 * @param filter a metadata filter, or null
 * @param params search knobs
 * @param explain ask for per-term contributions on every hit and the query's terms
 */
public record SearchQuery(String text, SparseVector vector, int k, SearchMode mode, Filter filter, SearchParams params,
        boolean explain) {

    public static final int DEFAULT_K = 10;

    public SearchQuery {
        if (text == null && vector == null) {
            throw new IllegalArgumentException("a search needs text or a vector");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        Objects.requireNonNull(mode, "mode");
        params = params == null ? SearchParams.defaults() : params;
    }

    /** Approximate sparse search for this text, k = 10. */
    public static SearchQuery text(String text) {
        return new SearchQuery(Objects.requireNonNull(text, "text"), null, DEFAULT_K, SearchMode.APPROXIMATE, null, null, false);
    }

    /** Approximate sparse search for this vector, k = 10. */
    public static SearchQuery vector(SparseVector vector) {
        return new SearchQuery(null, Objects.requireNonNull(vector, "vector"), DEFAULT_K, SearchMode.APPROXIMATE, null, null, false);
    }

    public SearchQuery withText(String newText) {
        return new SearchQuery(newText, vector, k, mode, filter, params, explain);
    }

    public SearchQuery withVector(SparseVector newVector) {
        return new SearchQuery(text, newVector, k, mode, filter, params, explain);
    }

    public SearchQuery withK(int newK) {
        return new SearchQuery(text, vector, newK, mode, filter, params, explain);
    }

    public SearchQuery withMode(SearchMode newMode) {
        return new SearchQuery(text, vector, k, newMode, filter, params, explain);
    }

    public SearchQuery withFilter(Filter newFilter) {
        return new SearchQuery(text, vector, k, mode, newFilter, params, explain);
    }

    public SearchQuery withParams(SearchParams newParams) {
        return new SearchQuery(text, vector, k, mode, filter, newParams, explain);
    }

    public SearchQuery withExplain(boolean newExplain) {
        return new SearchQuery(text, vector, k, mode, filter, params, newExplain);
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
        m.put("mode", mode.label());
        if (filter != null) {
            m.put("filter", filter.toJson());
        }
        if (!params.isEmpty()) {
            m.put("params", params.toJson());
        }
        if (explain) {
            m.put("explain", true);
        }
        return m;
    }
}
