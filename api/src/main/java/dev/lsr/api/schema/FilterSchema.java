package dev.lsr.api.schema;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The filter language of a search ({@code FilterCompiler} of the index module); a field is
 * {@code id} or a metadata key. Each form is one record, each an object with one key.
 */
@Schema(name = "Filter", oneOf = {FilterSchema.Term.class, FilterSchema.Terms.class, FilterSchema.Range.class,
        FilterSchema.And.class, FilterSchema.Or.class, FilterSchema.Not.class},
        description = "term, terms, range, and, or, not; a field is 'id' or a metadata key")
public interface FilterSchema {

    @Schema(name = "TermFilter", description = "{\"term\": {\"field\": value}}")
    record Term(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, ScalarValue> term) {}

    @Schema(name = "TermsFilter", description = "{\"terms\": {\"field\": [value, ...]}}")
    record Terms(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, List<ScalarValue>> terms) {}

    @Schema(name = "RangeFilter", description = "{\"range\": {\"field\": {\"gte\": x, \"lt\": y}}}: numbers, or strings"
            + " compared lexicographically")
    record Range(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, Bounds> range) {}

    @Schema(name = "RangeBounds")
    record Bounds(ScalarValue gte, ScalarValue gt, ScalarValue lte, ScalarValue lt) {}

    @Schema(name = "AndFilter", description = "every filter matches")
    record And(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<FilterSchema> and) {}

    @Schema(name = "OrFilter", description = "at least one filter matches")
    record Or(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<FilterSchema> or) {}

    @Schema(name = "NotFilter", description = "the filter does not match")
    record Not(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) FilterSchema not) {}
}
