package dev.lsr.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Documents on several workers (data parallelism across length buckets, one ONNX Runtime thread
 * each): the vectors come back in input order, exactly those of one worker on one thread, and
 * within float noise of each text encoded alone on all threads.
 */
class DocumentWorkersTest {

    @Test
    void twoWorkersGiveExactlyTheOneThreadVectorsInInputOrder() throws Exception {
        List<String> all = RandomTexts.of(61, 11);
        EncoderOptions o = EncoderOptions.defaults().withBatchSize(4);
        try (SparseEncoder one = SparseEncoder.open(TinyModel.dir(), o.withThreads(1).withDocumentWorkers(1));
                SparseEncoder two = SparseEncoder.open(TinyModel.dir(), o.withThreads(2))) {
            assertThat(two.options().effectiveDocumentWorkers()).as("one worker per thread by default").isEqualTo(2);
            assertThat(two.options().threadsPerDocumentWorker()).isEqualTo(1);
            EncodedBatch a = one.encodeDocumentBatch(all);
            Set<String> progressThreads = new HashSet<>();
            AtomicInteger progressed = new AtomicInteger();
            EncodedBatch b = two.encodeDocumentBatch(all, done -> {
                progressThreads.add(Thread.currentThread().getName());
                progressed.addAndGet(done);
            });
            assertThat(b.documents()).containsExactlyElementsOf(a.documents());
            assertThat(b.documents().stream().filter(d -> !d.vector().isEmpty()).count()).isGreaterThan(40);
            assertThat(b.tokens()).isEqualTo(a.tokens());
            assertThat(b.paddingTokens()).isEqualTo(a.paddingTokens());
            assertThat(b.truncated()).isEqualTo(a.truncated()).isPositive();
            assertThat(progressed.get()).isEqualTo((int) all.stream().filter(t -> !t.isBlank()).count());
            assertThat(progressThreads).as("progress is reported on the caller's thread").containsExactly(Thread.currentThread().getName());

            float[][] la = one.maxLogits(all);
            float[][] lb = two.maxLogits(all);
            for (int i = 0; i < all.size(); i++) {
                if (la[i] == null) {
                    assertThat(lb[i]).as("text %d is blank", i).isNull();
                } else {
                    assertThat(lb[i]).as("text %d", i).containsExactly(la[i]);
                }
            }
            // The int8 head's sessions are per thread count too.
            SparseEncoder oneInt8 = one.withOptions(one.options().withDocumentHead(DocumentHead.ONNX_INT8));
            SparseEncoder twoInt8 = two.withOptions(two.options().withDocumentHead(DocumentHead.ONNX_INT8));
            assertThat(twoInt8.encodeDocuments(all)).containsExactlyElementsOf(oneInt8.encodeDocuments(all));
        }
    }

    @Test
    void workersAgreeWithEachTextEncodedAloneOnAllThreads() throws Exception {
        // Batches of one: the tiny model does not mask attention, so padding would change its hidden states.
        List<String> all = RandomTexts.of(23, 5);
        EncoderOptions o = EncoderOptions.defaults().withThreads(2).withBatchSize(1).withRaw(true);
        try (SparseEncoder enc = SparseEncoder.open(TinyModel.dir(), o)) {
            float[][] together = enc.maxLogits(all);
            SparseEncoder oneWorker = enc.withOptions(o.withDocumentWorkers(1));
            for (int i = 0; i < all.size(); i++) {
                // A single text is one batch: it runs on the caller with both threads.
                float[] alone = enc.maxLogits(List.of(all.get(i)))[0];
                float[] sequential = oneWorker.maxLogits(List.of(all.get(i)))[0];
                if (alone == null) {
                    assertThat(together[i]).isNull();
                    continue;
                }
                assertThat(sequential).containsExactly(alone);
                for (int v = 0; v < alone.length; v++) {
                    assertThat(together[i][v]).as("text %d term %d", i, v).isCloseTo(alone[v], within(1e-4f));
                }
                assertThat(enc.postprocess(together[i]).indices()).as("text %d", i).isEqualTo(enc.postprocess(alone).indices());
            }
        }
    }

    @Test
    void aFailingProgressConsumerStopsTheWorkersAndTheEncoderStaysUsable() throws Exception {
        List<String> all = RandomTexts.of(40, 3);
        try (SparseEncoder enc = SparseEncoder.open(TinyModel.dir(), EncoderOptions.defaults().withThreads(2).withBatchSize(2))) {
            assertThatThrownBy(() -> enc.encodeDocumentBatch(all, done -> {
                throw new IllegalStateException("bar closed");
            })).isInstanceOf(IllegalStateException.class).hasMessage("bar closed");
            SparseEncoder one = enc.withOptions(enc.options().withDocumentWorkers(1).withBatchSize(2));
            assertThat(enc.encodeDocuments(all)).hasSize(all.size());
            assertThat(one.options().effectiveDocumentWorkers()).isEqualTo(1);
        }
    }

    @Test
    void workerCountsAreCappedByThreads() {
        EncoderOptions o = EncoderOptions.defaults().withThreads(4);
        assertThat(o.documentWorkers()).isEqualTo(EncoderOptions.AUTO_WORKERS);
        assertThat(o.effectiveDocumentWorkers()).isEqualTo(4);
        assertThat(o.threadsPerDocumentWorker()).isEqualTo(1);
        assertThat(o.withDocumentWorkers(2).threadsPerDocumentWorker()).isEqualTo(2);
        assertThat(o.withDocumentWorkers(3).threadsPerDocumentWorker()).isEqualTo(1);
        assertThat(o.withDocumentWorkers(9).effectiveDocumentWorkers()).isEqualTo(4);
        assertThat(o.withThreads(1).effectiveDocumentWorkers()).isEqualTo(1);
        assertThatThrownBy(() -> o.withDocumentWorkers(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
