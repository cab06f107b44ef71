package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SettingsJson;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsRoundTripAndUnknownKeysAreNamed() {
        CollectionSettings s = SettingsJson.parse("{\"model\": \"m\", \"bm25\": {\"k1\": 1.2}}");
        assertThat(s.model()).isEqualTo("m");
        assertThat(s.bm25().k1()).isEqualTo(1.2);
        assertThat(s.bm25().b()).isEqualTo(0.4);
        assertThat(s.dim()).isEqualTo(30522);
        assertThat(SettingsJson.parse(SettingsJson.toJson(s))).isEqualTo(s);
        assertThatThrownBy(() -> SettingsJson.parse("{\"bm25\": {\"k3\": 1}}"))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("unknown setting 'bm25.k3'");
        assertThatThrownBy(() -> SettingsJson.parse("{\"dimension\": 5}"))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("unknown setting 'dimension'");
        assertThatThrownBy(() -> SettingsJson.parse("{\"bm25\": {\"b\": 3}}"))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("'bm25.b' must be in [0.0, 1.0]");
        assertThatThrownBy(() -> SettingsJson.parse("{\"dim\": \"lots\"}"))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("'dim'");
    }

    @Test
    void namesAreSnakeCaseAndTheEarlierCamelCaseNamesAreStillRead() {
        String snake = "{\"refresh_interval_ms\": 5, \"exact_segment_max_docs\": 7, \"seismic\": {\"n_postings\": 300,"
                + " \"summary_alpha\": 0.5}, \"search\": {\"query_cut\": 4, \"heap_factor\": 0.7},"
                + " \"writer\": {\"ram_buffer_mb\": 64, \"max_buffered_docs\": 9}}";
        String camel = "{\"refreshIntervalMs\": 5, \"exactSegmentMaxDocs\": 7, \"seismic\": {\"nPostings\": 300,"
                + " \"summaryAlpha\": 0.5}, \"search\": {\"queryCut\": 4, \"heapFactor\": 0.7},"
                + " \"writer\": {\"ramBufferMb\": 64, \"maxBufferedDocs\": 9}}";
        CollectionSettings s = SettingsJson.parse(snake);
        assertThat(s.refreshIntervalMs()).isEqualTo(5L);
        assertThat(s.seismic().nPostings()).isEqualTo(300);
        assertThat(s.search().heapFactor()).isEqualTo(0.7);
        assertThat(s.writer().maxBufferedDocs()).isEqualTo(9);
        assertThat(SettingsJson.parse(camel)).isEqualTo(s);
        String written = SettingsJson.toJson(s);
        assertThat(written).contains("\"refresh_interval_ms\"", "\"n_postings\"", "\"query_cut\"", "\"ram_buffer_mb\"",
                "\"n_postings_docs\"", "\"filter_exact_fraction\"");
        assertThat(written).doesNotContainPattern("\"[a-z]+[A-Z][A-Za-z]*\"\\s*:");
        assertThatThrownBy(() -> SettingsJson.parse("{\"search\": {\"query_cut\": 0}}"))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("'search.query_cut'");
    }
}
