package dev.lsr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lsr.seismic.SparseVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackTest {

    @Test
    void interpolatesTheQueryWithTheTopTermsOfTheMeanDocument() {
        SparseVector q = SparseVector.of(new int[] {1, 2}, new float[] {3f, 1f}, 10);
        SparseVector d1 = SparseVector.of(new int[] {2, 5, 7}, new float[] {2f, 4f, 1f}, 10);
        SparseVector d2 = SparseVector.of(new int[] {5, 8}, new float[] {2f, 0.5f}, 10);
        // mean direction: 2 -> 2, 5 -> 6, 7 -> 1, 8 -> 0.5; top 2 terms: 5 (6) and 2 (2), mass 8
        SparseVector out = Feedback.expand(q, List.of(d1, d2), 2, 0.25, 10);
        // (1 - 0.25) q + 0.25 * |q|_1 (=4) * e / 8
        assertThat(out.indices()).containsExactly(1, 2, 5);
        assertThat(out.values()[0]).isCloseTo(0.75f * 3f, within(1e-6f));
        assertThat(out.values()[1]).isCloseTo(0.75f * 1f + 0.25f * 4f * 2f / 8f, within(1e-6f));
        assertThat(out.values()[2]).isCloseTo(0.25f * 4f * 6f / 8f, within(1e-6f));
        assertThat(out.l1()).isCloseTo(q.l1(), within(1e-5f));
    }

    @Test
    void noDocumentsOrZeroWeightLeaveTheQuery() {
        SparseVector q = SparseVector.of(new int[] {1}, new float[] {2f}, 10);
        assertThat(Feedback.expand(q, List.of(), 5, 0.5, 10)).isSameAs(q);
        assertThat(Feedback.expand(q, List.of(SparseVector.of(new int[] {3}, new float[] {1f}, 10)), 5, 0.0, 10)).isSameAs(q);
    }
}
