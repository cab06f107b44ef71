package dev.lsr.api.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.api.schema.FilterSchema;
import dev.lsr.api.schema.SparseVectorSchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /collections/{name}/search}.
 *
 * @param query text, encoded with the collection's model (and the BM25 text of bm25 and hybrid)
 * @param vector a pre-computed query vector, used instead of encoding {@code query}
 * @param k number of hits (default 10)
 * @param mode approximate, exact, bm25 or hybrid; default: the model's recommended search (hybrid
 *     for the zero-shot default model, approximate for a model without recommendations or a vector query)
 * @param filter a metadata filter ({@code term}, {@code terms}, {@code range}, {@code and}, {@code or}, {@code not})
 * @param explain add per-term contributions to every hit and the query's terms to the response
 * @param storedFields false: hits carry id and score only, read without loading title, text and
 *     metadata (candidates for a reranker, evaluation runs); default true
 */
@Schema(name = "SearchRequest", description = "a text query, a vector query, or both (the vector is searched, the text"
        + " feeds BM25 in bm25 and hybrid modes)")
public record SearchBody(
        String query,
        // Parsed by VectorJson / FilterCompiler against the collection (vocabulary, dim), which
        // name the bad part in their errors; the schema says what they accept.
        @Schema(implementation = SparseVectorSchema.class) JsonNode vector,
        @Schema(description = "number of hits (default 10)") Integer k,
        @Schema(allowableValues = {"approximate", "exact", "bm25", "hybrid"}) String mode,
        @Schema(implementation = FilterSchema.class) JsonNode filter,
        Params params,
        Boolean explain,
        @Schema(description = "false: hits carry id and score only, without loading title, text and metadata"
                + " (default true)") @JsonProperty("stored_fields") Boolean storedFields) {

    /**
     * Search knobs; absent ones take the model's recommendation or the collection's defaults.
     *
     * @param queryCut approximate: the query terms whose posting lists are visited
     * @param heapFactor approximate: block pruning aggressiveness in [0, 1]
     * @param fusion hybrid: rrf or linear (default: the model's, else rrf)
     * @param rrfK hybrid rrf: the k of 1 / (k + rank)
     * @param sparseWeight hybrid linear: weight of the normalised sparse score (default: the model's, else 0.5)
     * @param bm25Weight hybrid linear: weight of the normalised BM25 score (default: 1 - sparse_weight)
     * @param candidates hybrid: hits taken from each list before fusing
     * @param queryEncoder full (run the model on the query) or inference-free (IDF of the query's own
     *     word pieces in this collection; no model run); default: the model's query_mode, else full
     * @param idfPower inference-free: each term weighs idf^p (default: the model's query_idf_power, else 1)
     * @param prf pseudo-relevance feedback: expand the query vector with the top documents' terms
     */
    @Schema(name = "SearchParams")
    public record Params(
            @JsonProperty("query_cut") Integer queryCut,
            @JsonProperty("heap_factor") Double heapFactor,
            @Schema(allowableValues = {"rrf", "linear"}) String fusion,
            @JsonProperty("rrf_k") Integer rrfK,
            @JsonProperty("sparse_weight") Double sparseWeight,
            @JsonProperty("bm25_weight") Double bm25Weight,
            Integer candidates,
            @Schema(allowableValues = {"full", "inference-free"}) @JsonProperty("query_encoder") String queryEncoder,
            @JsonProperty("idf_power") Double idfPower,
            Prf prf) {}

    /**
     * Rocchio pseudo-relevance feedback: {@code q' = (1 - weight) q + weight |q|_1 e / |e|_1}, with
     * {@code e} the top {@code terms} terms of the first {@code docs} hits' summed vectors.
     *
     * @param docs first-pass hits used (default 3)
     * @param terms expansion terms kept (default 20)
     * @param weight the expansion's share in [0, 1] (default 0.3)
     */
    @Schema(name = "PrfParams")
    public record Prf(Integer docs, Integer terms, Double weight) {}
}
