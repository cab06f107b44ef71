package dev.lsr.encoder.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HeadFileTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(HeadDType.class)
    void roundTripsShapesBiasAndWeights(HeadDType dtype) throws IOException {
        int vocab = 45, hidden = 7;
        float[] w = HeadTestData.gaussian(vocab * hidden, 1.0, 5);
        float[] bias = HeadTestData.gaussian(vocab, 1.0, 6);
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, w, bias, vocab, hidden, dtype);
        try (HeadWeights hw = HeadFile.open(file)) {
            assertThat(hw.vocab()).isEqualTo(vocab);
            assertThat(hw.hidden()).isEqualTo(hidden);
            assertThat(hw.dtype()).isEqualTo(dtype);
            assertThat(hw.bias()).containsExactly(bias);
            assertThat(hw.fileBytes()).isEqualTo(Files.size(file));
            for (int v = 0; v < vocab; v++) {
                float max = 0;
                for (int k = 0; k < hidden; k++) {
                    max = Math.max(max, Math.abs(w[v * hidden + k]));
                }
                for (int k = 0; k < hidden; k++) {
                    float expected = w[v * hidden + k];
                    double tol = switch (dtype) {
                        case FP32 -> 0;
                        case BF16 -> Math.abs(expected) / 256;
                        case INT8 -> max / 254 * 1.0001;
                    };
                    assertThat((double) hw.weight(v, k)).as("W[%d][%d]", v, k)
                            .isCloseTo(expected, org.assertj.core.api.Assertions.within(tol));
                }
            }
        }
    }

    private Path validFile() throws IOException {
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, HeadTestData.gaussian(40 * 8, 1, 1), new float[40], 40, 8, HeadDType.FP32);
        return file;
    }

    @Test
    void refusesWrongMagicNamingTheFile() throws IOException {
        Path file = validFile();
        byte[] b = Files.readAllBytes(file);
        b[0] = 'X';
        Files.write(file, b);
        assertThatThrownBy(() -> HeadFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("magic");
    }

    @Test
    void refusesAnotherVersion() throws IOException {
        Path file = validFile();
        byte[] b = Files.readAllBytes(file);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);
        Files.write(file, b);
        assertThatThrownBy(() -> HeadFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("version 99");
    }

    @Test
    void refusesTruncatedFile() throws IOException {
        Path file = validFile();
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length - 100));
        assertThatThrownBy(() -> HeadFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
        Files.write(file, Arrays.copyOf(b, 20));
        assertThatThrownBy(() -> HeadFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
    }

    @Test
    void refusesFlippedBitByChecksum() throws IOException {
        Path file = validFile();
        byte[] b = Files.readAllBytes(file);
        b[HeadFile.HEADER_BYTES + 13] ^= 0x10;
        Files.write(file, b);
        assertThatThrownBy(() -> HeadFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("checksum");
    }

    @Test
    void refusesMissingFile() {
        Path file = dir.resolve("absent.bin");
        assertThatThrownBy(() -> HeadFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void rejectsInconsistentInputOnWrite() {
        Path file = dir.resolve("head.bin");
        assertThatThrownBy(() -> HeadFile.write(file, new float[10], new float[3], 3, 4, HeadDType.FP32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocab x hidden");
        float[] w = new float[12];
        w[5] = Float.NaN;
        assertThatThrownBy(() -> HeadFile.write(file, w, new float[3], 3, 4, HeadDType.BF16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 5");
        assertThat(file).doesNotExist();
    }
}
