package dev.lsr.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;

/** A metadata value or a filter operand: a string, a number or a boolean. */
@Schema(name = "ScalarValue", oneOf = {String.class, Double.class, Boolean.class})
public interface ScalarValue {}
