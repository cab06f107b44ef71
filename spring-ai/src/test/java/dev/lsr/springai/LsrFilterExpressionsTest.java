package dev.lsr.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

/** Spring AI filter expressions (text and builder) become the lsr filter that means the same; IS NULL is refused by name. */
class LsrFilterExpressionsTest {

    private static Map<String, Object> parsed(String text) {
        return LsrFilterExpressions.parse(text).toJson();
    }

    @Test
    void everyOperatorMaps() {
        assertThat(parsed("lang == 'en'")).isEqualTo(Map.of("term", Map.of("lang", "en")));
        assertThat(parsed("year == 2021")).isEqualTo(Map.of("term", Map.of("year", 2021)));
        assertThat(parsed("open == true")).isEqualTo(Map.of("term", Map.of("open", true)));
        assertThat(parsed("lang != 'en'")).isEqualTo(Map.of("not", Map.of("term", Map.of("lang", "en"))));
        assertThat(parsed("year > 2020")).isEqualTo(Map.of("range", Map.of("year", Map.of("gt", 2020))));
        assertThat(parsed("year >= 2020")).isEqualTo(Map.of("range", Map.of("year", Map.of("gte", 2020))));
        assertThat(parsed("rating < 3.5")).isEqualTo(Map.of("range", Map.of("rating", Map.of("lt", 3.5))));
        assertThat(parsed("rating <= 3.5")).isEqualTo(Map.of("range", Map.of("rating", Map.of("lte", 3.5))));
        assertThat(parsed("lang in ['de', 'fr']")).isEqualTo(Map.of("terms", Map.of("lang", List.of("de", "fr"))));
        assertThat(parsed("lang nin ['de', 'fr']")).isEqualTo(Map.of("not", Map.of("terms", Map.of("lang", List.of("de", "fr")))));
        assertThat(parsed("lang == 'en' && (year > 2020 || rating >= 4)")).isEqualTo(Map.of("and", List.of(
                Map.of("term", Map.of("lang", "en")),
                Map.of("or", List.of(Map.of("range", Map.of("year", Map.of("gt", 2020))), Map.of("range", Map.of("rating", Map.of("gte", 4))))))));
        assertThat(parsed("NOT(lang == 'en')")).isEqualTo(Map.of("not", Map.of("term", Map.of("lang", "en"))));

        FilterExpressionBuilder b = new FilterExpressionBuilder();
        assertThat(LsrFilterExpressions.toLsr(b.and(b.eq("lang", "en"), b.lt("year", 2022)).build()).toJson()).isEqualTo(Map.of("and", List.of(
                Map.of("term", Map.of("lang", "en")), Map.of("range", Map.of("year", Map.of("lt", 2022))))));
        assertThat(LsrFilterExpressions.toLsr(null)).isNull();
    }

    @Test
    void isNullIsRefusedByName() {
        FilterExpressionBuilder b = new FilterExpressionBuilder();
        assertThatThrownBy(() -> LsrFilterExpressions.toLsr(b.isNull("lang").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISNULL").hasMessageContaining("'lang'")
                .hasMessageContaining("supported");
        assertThatThrownBy(() -> LsrFilterExpressions.toLsr(b.isNotNull("lang").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISNOTNULL");
    }
}
