package dev.lsr.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The id form of a sparse vector: parallel arrays, ids in [0, dim), weights finite and > 0, no duplicate ids. */
@Schema(name = "IdsAndWeights")
public record IdsAndWeights(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "term ids in [0, dim), no duplicates")
        List<Integer> indices,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "weights, finite and > 0, one per id")
        List<Float> values) {}
