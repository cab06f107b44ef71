package dev.lsr.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

/** The token form of a sparse vector: each key a token of the model's vocabulary, its weight finite and > 0. */
@Schema(name = "TokenWeights", type = "object", additionalPropertiesSchema = Float.class,
        description = "{\"token\": weight, ...}: tokens of the collection model's vocabulary, weights finite and > 0")
public interface TokenWeights {}
