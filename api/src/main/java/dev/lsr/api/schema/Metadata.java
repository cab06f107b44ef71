package dev.lsr.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

/** A document's metadata: flat keys with string, number or boolean values (filterable). */
@Schema(name = "Metadata", type = "object", additionalPropertiesSchema = ScalarValue.class,
        description = "flat {\"key\": value}, values strings, numbers or booleans; filters use the keys")
public interface Metadata {}
