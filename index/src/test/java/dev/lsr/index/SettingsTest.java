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
}
