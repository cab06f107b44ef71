package dev.lsr.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.store.embedding.filter.Filter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each LangChain4j filter kind becomes the lsr filter JSON that means the same; the rest are refused by name. */
class LsrFiltersTest {

    private static Map<String, Object> json(Filter f) {
        return LsrFilters.toLsr(f).toJson();
    }

    @Test
    void comparisonsMapToTermRangeAndTerms() {
        assertThat(json(metadataKey("lang").isEqualTo("en"))).isEqualTo(Map.of("term", Map.of("lang", "en")));
        assertThat(json(metadataKey("year").isEqualTo(2021))).isEqualTo(Map.of("term", Map.of("year", 2021)));
        assertThat(json(metadataKey("lang").isNotEqualTo("en"))).isEqualTo(Map.of("not", Map.of("term", Map.of("lang", "en"))));
        assertThat(json(metadataKey("year").isGreaterThan(2020))).isEqualTo(Map.of("range", Map.of("year", Map.of("gt", 2020))));
        assertThat(json(metadataKey("year").isGreaterThanOrEqualTo(2020))).isEqualTo(Map.of("range", Map.of("year", Map.of("gte", 2020))));
        assertThat(json(metadataKey("rating").isLessThan(3.5))).isEqualTo(Map.of("range", Map.of("rating", Map.of("lt", 3.5))));
        assertThat(json(metadataKey("name").isLessThanOrEqualTo("m"))).isEqualTo(Map.of("range", Map.of("name", Map.of("lte", "m"))));
        assertThat(json(metadataKey("lang").isIn("fr", "de"))).isEqualTo(Map.of("terms", Map.of("lang", List.of("de", "fr"))));
        assertThat(json(metadataKey("lang").isNotIn(List.of("fr", "de"))))
                .isEqualTo(Map.of("not", Map.of("terms", Map.of("lang", List.of("de", "fr")))));
        UUID u = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(json(metadataKey("ref").isEqualTo(u))).isEqualTo(Map.of("term", Map.of("ref", u.toString())));
    }

    @Test
    void logicalFiltersNest() {
        Filter f = metadataKey("lang").isEqualTo("en").and(metadataKey("year").isGreaterThan(2020))
                .or(Filter.not(metadataKey("lang").isIn("de")));
        assertThat(json(f)).isEqualTo(Map.of("or", List.of(
                Map.of("and", List.of(Map.of("term", Map.of("lang", "en")), Map.of("range", Map.of("year", Map.of("gt", 2020))))),
                Map.of("not", Map.of("terms", Map.of("lang", List.of("de")))))));
        assertThat(LsrFilters.toLsr(null)).isNull();
    }

    @Test
    void unsupportedKindsAreNamed() {
        assertThatThrownBy(() -> LsrFilters.toLsr(metadataKey("title").containsString("sparse")))
                .isInstanceOf(UnsupportedFilterException.class)
                .hasMessageContaining("ContainsString").hasMessageContaining("'title'").hasMessageContaining("IsEqualTo");
        // Nested inside a supported one, the unsupported kind is still the one named.
        assertThatThrownBy(() -> LsrFilters.toLsr(metadataKey("a").isEqualTo("x").and(metadataKey("b").containsString("y"))))
                .isInstanceOf(UnsupportedFilterException.class).hasMessageContaining("ContainsString");
        Filter custom = object -> true;
        assertThatThrownBy(() -> LsrFilters.toLsr(custom)).isInstanceOf(UnsupportedFilterException.class)
                .hasMessageContaining("has no lsr equivalent");
    }
}
