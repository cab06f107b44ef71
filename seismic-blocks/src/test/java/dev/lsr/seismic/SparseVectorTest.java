package dev.lsr.seismic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SparseVectorTest {

    @Test
    void validatesAndNamesTheEntry() {
        assertThatThrownBy(() -> SparseVector.of(new int[] {1, 5}, new float[] {1f, Float.NaN}, 10))
                .isInstanceOf(InvalidVectorException.class)
                .hasMessageContaining("entry 1").hasMessageContaining("not finite");
        assertThatThrownBy(() -> SparseVector.of(new int[] {1, 10}, new float[] {1f, 1f}, 10))
                .hasMessageContaining("entry 1").hasMessageContaining("outside [0, 10)");
        assertThatThrownBy(() -> SparseVector.of(new int[] {3}, new float[] {0f}, 10))
                .hasMessageContaining("must be > 0");
        assertThatThrownBy(() -> SparseVector.of(new int[] {3, 2}, new float[] {1f, 1f}, 10))
                .hasMessageContaining("out of order");
        assertThatThrownBy(() -> SparseVector.of(new int[] {-1}, new float[] {1f}, 10))
                .hasMessageContaining("term id -1");
        assertThatThrownBy(() -> SparseVector.ofUnsorted(new int[] {4, 2, 4}, new float[] {1f, 1f, 2f}, 10))
                .hasMessageContaining("duplicate term id 4");
    }

    @Test
    void sortsDotsAndTruncates() {
        SparseVector a = SparseVector.ofUnsorted(new int[] {7, 1, 3}, new float[] {2f, 1f, 3f}, 10);
        assertThat(a.indices()).containsExactly(1, 3, 7);
        assertThat(a.values()).containsExactly(1f, 3f, 2f);
        SparseVector b = SparseVector.of(new int[] {3, 7, 9}, new float[] {2f, 0.5f, 4f}, 10);
        assertThat(a.dot(b)).isEqualTo(3f * 2f + 2f * 0.5f);
        float[] dense = new float[10];
        dense[3] = 2f;
        dense[7] = 0.5f;
        dense[9] = 4f;
        assertThat(a.dot(dense)).isEqualTo(a.dot(b));
        SparseVector top = a.topK(2);
        assertThat(top.indices()).containsExactly(3, 7);
        assertThat(a.topK(5)).isSameAs(a);
        assertThat(a.l1()).isEqualTo(6f);
    }
}
