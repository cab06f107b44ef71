package dev.lsr.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationMaximaTest {

    @Test
    void roundTripsAndRefusesACorruptTable() throws Exception {
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put("a/kernel", new float[] {1f, 2.5f, 63.03f});
        m.put("b/kernel", new float[] {0.25f});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CalibrationMaxima.write(out, new CalibrationMaxima.Table("abc123", "test text", m));
        byte[] bytes = out.toByteArray();
        CalibrationMaxima.Table back = CalibrationMaxima.read(new ByteArrayInputStream(bytes), "t.bin");
        assertThat(back.fingerprint()).isEqualTo("abc123");
        assertThat(back.source()).isEqualTo("test text");
        assertThat(back.maxima()).containsOnlyKeys("a/kernel", "b/kernel");
        assertThat(back.maxima().get("a/kernel")).containsExactly(1f, 2.5f, 63.03f);
        bytes[20] ^= 1;
        assertThatThrownBy(() -> CalibrationMaxima.read(new ByteArrayInputStream(bytes), "t.bin"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("t.bin").hasMessageContaining("checksum");
        assertThatThrownBy(() -> CalibrationMaxima.read(new ByteArrayInputStream(new byte[5]), "short.bin"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("short.bin");
    }

    /** The table the default import smooths with: every dense layer of BERT-base, positive maxima. */
    @Test
    void theBundledTableCoversEveryDenseLayerOfBertBase() throws Exception {
        CalibrationMaxima.Table t = CalibrationMaxima.bundled();
        assertThat(t).isNotNull();
        assertThat(t.maxima()).hasSize(12 * 4 + 1);
        assertThat(t.source()).contains("200").contains("corpus.jsonl.gz");
        for (Map.Entry<String, float[]> e : t.maxima().entrySet()) {
            int expected = e.getKey().contains("/output/dense/") && !e.getKey().contains("/attention/") ? 3072 : 768;
            assertThat(e.getValue()).as(e.getKey()).hasSize(expected);
            for (float v : e.getValue()) {
                assertThat(v).as(e.getKey()).isPositive();
            }
        }
        assertThat(t.fingerprint()).hasSize(64);
    }
}
