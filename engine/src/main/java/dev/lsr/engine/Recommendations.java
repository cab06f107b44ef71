package dev.lsr.engine;

import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.index.Fusion;
import dev.lsr.index.InvalidRequestException;
import dev.lsr.index.SearchMode;

/**
 * A model's recommended search (model.json's {@code encoder} section, {@link ModelInfo#defaults()}),
 * applied to what a query leaves out. A collection without a model, or a model that recommends
 * nothing, gets approximate sparse search with full queries and rrf fusion.
 *
 * @param defaults the model's recorded defaults; null when the collection has no model
 */
record Recommendations(ModelInfo.Defaults defaults) {

    static final int DEFAULT_RRF_K = 60;
    static final double DEFAULT_SPARSE_WEIGHT = 0.5;

    /** Hybrid when the model recommends a fusion (it was measured with BM25), else approximate. */
    SearchMode mode() {
        return defaults != null && defaults.hybridFusion() != null ? SearchMode.HYBRID : SearchMode.APPROXIMATE;
    }

    QueryEncoder queryEncoder() {
        return defaults != null && ModelInfo.Defaults.INFERENCE_FREE.equals(defaults.queryMode())
                ? QueryEncoder.INFERENCE_FREE : QueryEncoder.FULL;
    }

    double idfPower() {
        return defaults == null ? 1.0 : defaults.queryIdfPowerOrOne();
    }

    /** The hybrid fusion of {@code q}: what it names, else the model's fusion and weight, else rrf(60). */
    Fusion fusion(Query q) {
        String modelFusion = defaults == null ? null : defaults.hybridFusion();
        String fusion = q.fusion() != null ? q.fusion() : modelFusion != null ? modelFusion : ModelInfo.Defaults.RRF;
        if (fusion.equals(ModelInfo.Defaults.RRF)) {
            return new Fusion.Rrf(q.rrfK() == null ? DEFAULT_RRF_K : q.rrfK());
        }
        Double modelWeight = defaults == null ? null : defaults.hybridSparseWeight();
        boolean given = q.sparseWeight() != null || q.bm25Weight() != null;
        double ws = q.sparseWeight() != null ? q.sparseWeight()
                : q.bm25Weight() != null ? 1 - q.bm25Weight() : modelWeight != null ? modelWeight : DEFAULT_SPARSE_WEIGHT;
        double wb = q.bm25Weight() != null ? q.bm25Weight() : !given && modelWeight != null ? 1 - modelWeight : 1 - ws;
        if (!(ws >= 0) || !(wb >= 0) || ws + wb == 0) {
            throw new InvalidRequestException("'params.sparse_weight' and 'params.bm25_weight' must be >= 0 and not both 0, were "
                    + ws + " and " + wb);
        }
        return new Fusion.Linear(ws, wb);
    }
}
