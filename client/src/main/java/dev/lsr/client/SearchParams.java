package dev.lsr.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Search knobs; a null field takes the collection's (or its model's) default.
 *
 * @param queryCut approximate: how many of the query's heaviest terms have their lists visited
 * @param heapFactor approximate: block pruning in [0, 1]
 * @param fusion hybrid: {@code rrf} or {@code linear}
 * @param rrfK hybrid rrf: the k of 1 / (k + rank)
 * @param sparseWeight hybrid linear: weight of the normalised sparse score
 * @param bm25Weight hybrid linear: weight of the normalised BM25 score
 * @param candidates hybrid: hits taken from each list before fusing (at least k)
 * @param queryEncoder {@code full} (run the model on the query) or {@code inference-free}
 * @param idfPower inference-free queries: each term weighs idf^p
 * @param prf pseudo-relevance feedback (sparse and hybrid modes), or null for none
 */
public record SearchParams(Integer queryCut, Double heapFactor, String fusion, Integer rrfK, Double sparseWeight,
        Double bm25Weight, Integer candidates, String queryEncoder, Double idfPower, FeedbackParams prf) {

    private static final SearchParams NONE = new SearchParams(null, null, null, null, null, null, null, null, null, null);

    /** Every knob at its default. */
    public static SearchParams defaults() {
        return NONE;
    }

    public SearchParams withQueryCut(int v) {
        return new SearchParams(v, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, queryEncoder, idfPower, prf);
    }

    public SearchParams withHeapFactor(double v) {
        return new SearchParams(queryCut, v, fusion, rrfK, sparseWeight, bm25Weight, candidates, queryEncoder, idfPower, prf);
    }

    /** Reciprocal-rank fusion with this k. */
    public SearchParams withRrf(int k) {
        return new SearchParams(queryCut, heapFactor, "rrf", k, sparseWeight, bm25Weight, candidates, queryEncoder, idfPower, prf);
    }

    /** Linear fusion of min-max normalised scores with these weights. */
    public SearchParams withLinear(double sparse, double bm25) {
        return new SearchParams(queryCut, heapFactor, "linear", rrfK, sparse, bm25, candidates, queryEncoder, idfPower, prf);
    }

    public SearchParams withCandidates(int v) {
        return new SearchParams(queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, v, queryEncoder, idfPower, prf);
    }

    /** {@code full} or {@code inference-free}. */
    public SearchParams withQueryEncoder(String v) {
        return new SearchParams(queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, v, idfPower, prf);
    }

    /** Inference-free queries weigh each term idf^p. */
    public SearchParams withIdfPower(double p) {
        return new SearchParams(queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, queryEncoder, p, prf);
    }

    /** Pseudo-relevance feedback ({@link FeedbackParams#defaults()} for the service's). */
    public SearchParams withPrf(FeedbackParams feedback) {
        return new SearchParams(queryCut, heapFactor, fusion, rrfK, sparseWeight, bm25Weight, candidates, queryEncoder, idfPower, feedback);
    }

    boolean isEmpty() {
        return equals(NONE);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "query_cut", queryCut);
        put(m, "heap_factor", heapFactor);
        put(m, "fusion", fusion);
        put(m, "rrf_k", rrfK);
        put(m, "sparse_weight", sparseWeight);
        put(m, "bm25_weight", bm25Weight);
        put(m, "candidates", candidates);
        put(m, "query_encoder", queryEncoder);
        put(m, "idf_power", idfPower);
        put(m, "prf", prf == null ? null : prf.toJson());
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
