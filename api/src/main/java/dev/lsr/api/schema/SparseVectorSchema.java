package dev.lsr.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

/** A sparse vector: term ids with weights, or token weights over the collection model's vocabulary. */
@Schema(name = "SparseVector", oneOf = {IdsAndWeights.class, TokenWeights.class},
        description = "{\"indices\": [term ids], \"values\": [weights]}, or {\"token\": weight, ...} over the collection"
                + " model's vocabulary; responses use the token form when the collection has a model")
public interface SparseVectorSchema {}
