package dev.lsr.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

/** One document of {@code POST /collections/{name}/documents}. */
@Schema(name = "DocumentInput", description = "text (title + text) is encoded with the collection's model unless a vector"
        + " is given; a collection without a model needs the vector")
public record DocumentInput(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
        String title,
        String text,
        Metadata metadata,
        SparseVectorSchema vector) {}
