package dev.lsr.index.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The depth a segment's recall is checked at: twice its share of the collection's top-k. */
class SegmentSelfCheckDepthTest {

    @Test
    void aSegmentIsCheckedAtTwiceItsShareOfTheTopK() {
        // Unknown collection size, or the segment is the whole collection: a top-k of its own.
        assertThat(SegmentSelfCheck.depth(10, 100_000, 0)).isEqualTo(10);
        assertThat(SegmentSelfCheck.depth(10, 100_000, 100_000)).isEqualTo(10);
        assertThat(SegmentSelfCheck.depth(10, 100_000, 50_000)).isEqualTo(10);
        // A bulk load in ten equal flushes: 10, 10, 7, 5, 4, 4, 3, 3, 3, 2.
        int[] expected = {10, 10, 7, 5, 4, 4, 3, 3, 3, 2};
        for (int i = 0; i < expected.length; i++) {
            assertThat(SegmentSelfCheck.depth(10, 100_000, 100_000L * (i + 1))).as("flush %d", i + 1).isEqualTo(expected[i]);
        }
        // Never below one hit, never above k.
        assertThat(SegmentSelfCheck.depth(10, 1_000, 100_000_000)).isEqualTo(1);
        assertThat(SegmentSelfCheck.depth(100, 300_000, 1_000_000)).isEqualTo(60);
        assertThat(SegmentSelfCheck.depth(100, 900_000, 1_000_000)).isEqualTo(100);
    }
}
