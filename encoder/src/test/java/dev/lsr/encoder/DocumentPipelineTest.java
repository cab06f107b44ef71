package dev.lsr.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentPipelineTest {

    @TempDir
    Path tmp;

    /** Tokenising window i+1 on the helper thread while window i runs gives exactly the sequential vectors and counts. */
    @Test
    void overlappedWindowsGiveExactlyTheSequentialVectors() throws Exception {
        List<String> all = RandomTexts.of(61, 7);
        int window = 9;
        try (SparseEncoder enc = SparseEncoder.open(TinyModel.dir(), EncoderOptions.defaults().withThreads(2).withBatchSize(4));
                DocumentPipeline pipe = new DocumentPipeline(enc)) {
            List<EncodedBatch> sequential = new ArrayList<>();
            for (int from = 0; from < all.size(); from += window) {
                sequential.add(enc.encodeDocumentBatch(all.subList(from, Math.min(all.size(), from + window))));
            }
            List<EncodedBatch> overlapped = new ArrayList<>();
            AtomicInteger progressed = new AtomicInteger();
            DocumentPipeline.Pending pending = null;
            for (int from = 0; from < all.size(); from += window) {
                DocumentPipeline.Pending next = pipe.submit(all.subList(from, Math.min(all.size(), from + window)));
                if (pending != null) {
                    overlapped.add(pipe.encode(pending, progressed::addAndGet));
                }
                pending = next;
            }
            overlapped.add(pipe.encode(pending, progressed::addAndGet));

            assertThat(overlapped).hasSameSizeAs(sequential);
            int truncated = 0;
            for (int w = 0; w < sequential.size(); w++) {
                EncodedBatch a = sequential.get(w);
                EncodedBatch b = overlapped.get(w);
                assertThat(b.documents()).as("window %d", w).containsExactlyElementsOf(a.documents());
                assertThat(b.tokens()).isEqualTo(a.tokens());
                assertThat(b.paddingTokens()).isEqualTo(a.paddingTokens());
                assertThat(b.truncated()).isEqualTo(a.truncated());
                truncated += b.truncated();
            }
            assertThat(truncated).as("the list has texts past the model's max tokens").isPositive();
            assertThat(progressed.get()).isEqualTo((int) all.stream().filter(t -> !t.isBlank()).count());
        }
    }

    @Test
    void tokensOfAnotherModelAreRefused() throws Exception {
        try (SparseEncoder a = SparseEncoder.open(TinyModel.dir(), EncoderOptions.defaults().withThreads(1));
                SparseEncoder b = SparseEncoder.open(TinyModel.importTo(tmp.resolve("other")), EncoderOptions.defaults().withThreads(1))) {
            TokenizedDocuments docs = a.tokenizeDocuments(List.of("sparse retrieval"));
            assertThat(a.withOptions(a.options().withTopK(5)).encodeDocumentBatch(docs, d -> { }).documents()).hasSize(1);
            assertThatThrownBy(() -> b.encodeDocumentBatch(docs, d -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another model");
        }
    }
}
