package dev.lsr.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

    @Test
    void batchesCoverEveryTextOnceInAscendingLengthWithTiesInInputOrder() {
        int[] lengths = {5, 3, -1, 5, 9, 3, 1, 9, 2};
        int[][] plan = LengthBuckets.plan(lengths, 3);
        assertThat(plan).isDeepEqualTo(new int[][] {{6, 8, 1}, {5, 0, 3}, {4, 7}});
        // Padding: lengths 1 and 2 up to 3 (2 + 1), the 3 of text 5 up to 5 (2), the last batch none.
        assertThat(LengthBuckets.paddingSlots(lengths, plan)).isEqualTo(3 + 2 + 0);
    }

    @Test
    void aSlotCapRunsLongTextsFewerToABatch() {
        int[] lengths = {512, 100, 256, 300, 120, 90, 2000, 256, 256, 256, 256, -1, 100};
        int[][] plan = LengthBuckets.plan(lengths, 8, 1024);
        // Ascending: 90, 100, 100, 120 (4 x 120 = 480), a 256 would make 5 x 256 > 1024; four 256s make
        // exactly 1024; the fifth 256 and the 300 (2 x 300); 512 alone (2000 next); 2000 alone, past the cap.
        assertThat(plan).isDeepEqualTo(new int[][] {{5, 1, 12, 4}, {2, 7, 8, 9}, {10, 3}, {0}, {6}});
        for (int[] batch : plan) {
            int longest = lengths[batch[batch.length - 1]];
            assertThat(batch.length == 1 || (long) batch.length * longest <= 1024).as(Arrays.toString(batch)).isTrue();
        }
        assertThat(LengthBuckets.plan(lengths, 8, 0)).isDeepEqualTo(LengthBuckets.plan(lengths, 8));
        assertThatThrownBy(() -> LengthBuckets.plan(lengths, 8, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomListsMatchAReferenceSortAndPadLessThanInputOrder() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = rnd.nextInt(0, 300);
            int bs = rnd.nextInt(1, 17);
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = rnd.nextInt(10) == 0 ? -1 : rnd.nextInt(2, 513);
            }
            int[][] plan = LengthBuckets.plan(lengths, bs);
            // Reference: boxed stable sort by length of the live indices, cut into runs of bs.
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (lengths[i] >= 0) {
                    live.add(i);
                }
            }
            List<Integer> inputOrder = List.copyOf(live);
            live.sort((a, b) -> Integer.compare(lengths[a], lengths[b]));
            int[] flat = Arrays.stream(plan).flatMapToInt(Arrays::stream).toArray();
            assertThat(flat).containsExactly(live.stream().mapToInt(Integer::intValue).toArray());
            for (int b = 0; b < plan.length; b++) {
                assertThat(plan[b].length).isEqualTo(b < plan.length - 1 ? bs : live.size() - bs * (plan.length - 1));
            }
            // Input-order batches of the same size never pad less than sorted ones.
            int[][] inOrder = new int[(live.size() + bs - 1) / bs][];
            for (int b = 0; b < inOrder.length; b++) {
                inOrder[b] = inputOrder.subList(b * bs, Math.min(live.size(), (b + 1) * bs)).stream().mapToInt(Integer::intValue).toArray();
            }
            assertThat(LengthBuckets.paddingSlots(lengths, plan)).isLessThanOrEqualTo(LengthBuckets.paddingSlots(lengths, inOrder));
        }
    }

    /**
     * The encoder sorts a long list into length buckets and hands the vectors back in input order:
     * with batches of one (no padding, so the same computation per text) each vector is exactly the
     * one its text gets alone; blank texts keep their place. (The tiny model does not mask
     * attention, so padded batches change its outputs; BertImportTest checks padded buckets on BERT.)
     */
    @Test
    void encoderReturnsBucketedVectorsInInputOrderIdenticalToOneByOne() throws Exception {
        List<String> texts = List.of("a considerably longer text about protein folding and its kinetics in living cells",
                "short", "", "mid length text about lucene", "tiny", "   ", "another text of some middling length here",
                "x y z", "the longest of them all, with many more words than any of the others, about sparse retrieval");
        try (SparseEncoder enc = SparseEncoder.open(TinyModel.dir(), EncoderOptions.defaults().withThreads(1).withBatchSize(1))) {
            List<Integer> progress = new ArrayList<>();
            EncodedBatch batch = enc.encodeDocumentBatch(texts, progress::add);
            assertThat(batch.documents()).hasSize(texts.size());
            assertThat(progress.stream().mapToInt(Integer::intValue).sum()).isEqualTo(7);
            assertThat(batch.paddingTokens()).isZero();
            assertThat(batch.truncated()).isZero();
            long tokens = 0;
            for (int i = 0; i < texts.size(); i++) {
                EncodedText alone = enc.encodeDocuments(List.of(texts.get(i))).get(0);
                assertThat(batch.documents().get(i)).as("text %d", i).isEqualTo(alone);
                tokens += texts.get(i).isBlank() ? 0 : alone.tokens().size() + 2;
            }
            assertThat(batch.tokens()).isEqualTo(tokens);
            // Batches of four: the same texts, now padded inside each length bucket, still in input order.
            EncodedBatch four = enc.withOptions(enc.options().withBatchSize(4)).encodeDocumentBatch(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(four.documents().get(i).tokens()).as("text %d", i).isEqualTo(batch.documents().get(i).tokens());
            }
            assertThat(four.paddingTokens()).isPositive();
        }
    }

    @Test
    void refusesABatchSizeBelowOne() {
        assertThatThrownBy(() -> LengthBuckets.plan(new int[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
