package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lsr.seismic.SparseVector;
import org.junit.jupiter.api.Test;

class LogitSparsifierTest {

    private static short[] row(float... xs) {
        short[] r = new short[xs.length];
        for (int i = 0; i < xs.length; i++) {
            r[i] = Float.floatToFloat16(xs[i]);
        }
        return r;
    }

    @Test
    void plainMaxPoolingIsLog1pOfThePositiveLogits() {
        SparseVector v = new LogitSparsifier(null, 0f, 0, null).sparsify(row(-1f, 0f, 1f, 3f));
        assertThat(v.indices()).containsExactly(2, 3);
        assertThat(v.value(0)).isCloseTo((float) Math.log1p(1), within(1e-6f));
        assertThat(v.value(1)).isCloseTo((float) Math.log1p(3), within(1e-6f));
    }

    @Test
    void centringMaskingThresholdAndTopK() {
        float[] offsets = {0f, 2f, 0f, 0f, 0f};
        boolean[] masked = {true, false, false, false, false};
        // term 0 masked; term 1 centred 3-2=1; term 2 log1p(0.05) under threshold; terms 3,4 compete for top-2
        SparseVector v = new LogitSparsifier(offsets, 0.1f, 2, masked).sparsify(row(9f, 3f, 0.05f, 4f, 1f));
        assertThat(v.indices()).containsExactly(1, 3);
        assertThat(v.value(0)).isCloseTo((float) Math.log1p(1), within(1e-3f));
    }

    @Test
    void percentileOffsetsUseNearestRankPerTerm() {
        short[][] rows = {row(1f, 10f), row(2f, 20f), row(3f, 30f), row(4f, 40f)};
        float[] p50 = LogitSparsifier.percentileOffsets(rows, 50);
        assertThat(p50).containsExactly(2f, 20f);
        assertThat(LogitSparsifier.percentileOffsets(rows, 100)).containsExactly(4f, 40f);
    }
}
