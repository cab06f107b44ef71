package dev.lsr.engine;

import dev.lsr.index.Filter;
import dev.lsr.index.InvalidRequestException;
import dev.lsr.index.SearchMode;
import dev.lsr.seismic.SparseVector;

/**
 * A search of an {@link EngineCollection}. Start from {@link #text} or {@link #vector} and refine
 * with the {@code with...} methods (each returns a new query); what is left null takes the model's
 * recommendation or the collection's setting.
 *
 * @param text the query text: encoded with the collection's model (sparse modes) and the BM25 text (bm25, hybrid)
 * @param vector a query vector given by the caller, used instead of encoding {@code text}
 * @param k number of hits
 * @param mode null: the collection's recommended mode (see {@link EngineCollection#recommendedMode()})
 * @param filter metadata filter (build one with {@link Filters}); null: none
 * @param explain per-term contributions per hit and the query's terms
 * @param queryEncoder null: the model's recommended query mode
 * @param queryCut approximate: query terms whose lists are visited; null: the collection's
 * @param heapFactor approximate: block pruning in [0, 1]; null: the collection's
 * @param fusion hybrid: {@code rrf} or {@code linear}; null: the model's, else rrf
 * @param rrfK hybrid rrf constant; null: 60
 * @param sparseWeight hybrid linear: weight of the normalised sparse score; null: the model's, else 0.5
 * @param bm25Weight hybrid linear: weight of the normalised BM25 score; null: 1 - sparse weight
 * @param candidates hybrid: hits taken from each list before fusing (>= k); null: max(k, 100)
 * @param idfPower inference-free queries: each term weighs idf^p; null: the model's, else 1
 * @param prf pseudo-relevance feedback; null: none
 * @param storedFields load title, text and metadata of each hit (false: id and score only, for deep evaluation runs)
 */
public record Query(
        String text,
        SparseVector vector,
        int k,
        SearchMode mode,
        Filter filter,
        boolean explain,
        QueryEncoder queryEncoder,
        Integer queryCut,
        Double heapFactor,
        String fusion,
        Integer rrfK,
        Double sparseWeight,
        Double bm25Weight,
        Integer candidates,
        Double idfPower,
        Prf prf,
        boolean storedFields) {

    /** Hits when none is asked. */
    public static final int DEFAULT_K = 10;

    public Query {
        if (k < 1) {
            throw new InvalidRequestException("'k' must be >= 1, was " + k);
        }
        if (queryCut != null && queryCut < 1) {
            throw new InvalidRequestException("'params.query_cut' must be >= 1, was " + queryCut);
        }
        if (heapFactor != null && !(heapFactor >= 0 && heapFactor <= 1)) {
            throw new InvalidRequestException("'params.heap_factor' must be in [0, 1], was " + heapFactor);
        }
        if (fusion != null && !fusion.equals("rrf") && !fusion.equals("linear")) {
            throw new InvalidRequestException("'params.fusion' must be rrf or linear, was '" + fusion + "'");
        }
        if (rrfK != null && rrfK < 1) {
            throw new InvalidRequestException("'params.rrf_k' must be >= 1, was " + rrfK);
        }
        if (candidates != null && candidates < k) {
            throw new InvalidRequestException("'params.candidates' must be >= k (" + k + "), was " + candidates);
        }
        if (idfPower != null && !(idfPower > 0 && idfPower <= 10)) {
            throw new InvalidRequestException("'params.idf_power' must be in (0, 10], was " + idfPower);
        }
    }

    /** A text query, top {@value #DEFAULT_K}, in the collection's recommended mode. */
    public static Query text(String text) {
        return new Query(text, null, DEFAULT_K, null, null, false, null, null, null, null, null, null, null, null, null, null, true);
    }

    /** A query vector (over the collection's term ids), top {@value #DEFAULT_K}, approximate unless told otherwise. */
    public static Query vector(SparseVector vector) {
        return new Query(null, vector, DEFAULT_K, null, null, false, null, null, null, null, null, null, null, null, null, null, true);
    }

    public boolean hasText() {
        return text != null && !text.isBlank();
    }

    public Query withText(String v) {
        return new Query(v, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withVector(SparseVector v) {
        return new Query(text, v, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withK(int v) {
        return new Query(text, vector, v, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withMode(SearchMode v) {
        return new Query(text, vector, k, v, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withFilter(Filter v) {
        return new Query(text, vector, k, mode, v, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withExplain(boolean v) {
        return new Query(text, vector, k, mode, filter, v, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withQueryEncoder(QueryEncoder v) {
        return new Query(text, vector, k, mode, filter, explain, v, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withQueryCut(Integer v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, v, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withHeapFactor(Double v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, v, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withFusion(String v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, v, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withRrfK(Integer v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, v, sparseWeight, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withSparseWeight(Double v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, v, bm25Weight, candidates, idfPower, prf, storedFields);
    }

    public Query withBm25Weight(Double v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, v, candidates, idfPower, prf, storedFields);
    }

    public Query withCandidates(Integer v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, v, idfPower, prf, storedFields);
    }

    public Query withIdfPower(Double v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, v, prf, storedFields);
    }

    public Query withPrf(Prf v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, v, storedFields);
    }

    public Query withStoredFields(boolean v) {
        return new Query(text, vector, k, mode, filter, explain, queryEncoder, queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, idfPower, prf, v);
    }
}
