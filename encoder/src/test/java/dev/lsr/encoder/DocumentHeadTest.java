package dev.lsr.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model.json's {@code document_head}: documents and {@code maxLogits} run the int8 ONNX Runtime head
 * when it says {@code onnx-int8} (or the options ask), queries always the fused head; on the tiny
 * model's real hidden states the two heads give vectors at cosine >= 0.999.
 */
class DocumentHeadTest {

    @TempDir
    Path tmp;

    @Test
    void documentsRunTheInt8HeadWhenModelJsonSaysSoAndAgreeWithTheFusedHead() throws Exception {
        Path plain = TinyModel.importTo(tmp.resolve("plain"));
        Path dir = TinyModel.importTo(tmp.resolve("int8-head"));
        ModelInfo info = ModelDirectory.open(dir);
        assertThat(info.documentHead()).isNull();
        assertThat(info.documentsUseOnnxInt8Head()).isFalse();
        ModelInfo withHead = new ModelInfo(info.name(), info.formatVersion(), info.source(), info.vocabSize(), info.hiddenSize(),
                info.maxTokens(), info.lowerCase(), info.specialTokens(), info.activation(), info.pooling(), info.headDtype(),
                info.bodyDtype(), info.queryBodyDtype(), info.documentBodyDtype(), ModelInfo.HEAD_ONNX_INT8, info.tokenizer(),
                info.inputs(), info.encoder(), info.files());
        ModelDirectory.write(dir, withHead, info.files().keySet());
        assertThat(ModelDirectory.open(dir).documentsUseOnnxInt8Head()).isTrue();

        // Batches of one: the tiny model does not mask attention, so padding would change its hidden states.
        EncoderOptions o = EncoderOptions.defaults().withThreads(2).withBatchSize(1).withRaw(true);
        List<String> texts = SparseEncoderTest.TEXTS;
        try (SparseEncoder fused = SparseEncoder.open(plain, o); SparseEncoder int8 = SparseEncoder.open(dir, o)) {
            assertThat(fused.usesOnnxInt8DocumentHead()).isFalse();
            assertThat(int8.usesOnnxInt8DocumentHead()).isTrue();
            SparseEncoder forcedFused = int8.withOptions(o.withDocumentHead(DocumentHead.FUSED));
            SparseEncoder forcedInt8 = fused.withOptions(o.withDocumentHead(DocumentHead.ONNX_INT8));
            assertThat(forcedFused.usesOnnxInt8DocumentHead()).isFalse();
            assertThat(forcedInt8.usesOnnxInt8DocumentHead()).isTrue();

            List<EncodedText> a = fused.encodeDocuments(texts);
            List<EncodedText> b = int8.encodeDocuments(texts);
            float[][] la = fused.maxLogits(texts);
            float[][] lb = int8.maxLogits(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(cosine(a.get(i).vector(), b.get(i).vector(), info.vocabSize())).as(texts.get(i)).isGreaterThan(0.999);
                assertThat(b.get(i).vector()).isNotEqualTo(a.get(i).vector()); // it did run another head
                assertThat(int8.postprocess(lb[i])).isEqualTo(b.get(i).vector());
                assertThat(forcedFused.encodeDocuments(List.of(texts.get(i))).get(0).vector()).isEqualTo(a.get(i).vector());
                assertThat(forcedInt8.maxLogits(List.of(texts.get(i)))[0]).containsExactly(lb[i]);
                // Queries run the fused head whatever the documents run.
                assertThat(int8.encodeQuery(texts.get(i)).vector()).isEqualTo(fused.encodeQuery(texts.get(i)).vector());
                assertThat(la[i]).hasSameSizeAs(lb[i]);
            }
        }
    }

    @Test
    void anUnknownDocumentHeadIsRefusedNamingTheField() throws Exception {
        Path dir = TinyModel.importTo(tmp.resolve("bad"));
        Path json = dir.resolve(ModelInfo.MODEL_JSON);
        String before = Files.readString(json);
        String s = before.contains("\"document_head\"") ? before.replaceFirst("\"document_head\"\\s*:\\s*null", "\"document_head\" : \"fp16\"")
                : before.replace("\"document_body_dtype\"", "\"document_head\" : \"fp16\", \"document_body_dtype\"");
        assertThat(s).contains("\"fp16\"");
        Files.writeString(json, s);
        assertThatThrownBy(() -> ModelDirectory.open(dir)).isInstanceOf(ModelFormatException.class).hasMessageContaining("document_head");
    }

    static double cosine(SparseVector a, SparseVector b, int vocab) {
        float[] x = new float[vocab];
        float[] y = new float[vocab];
        for (int k = 0; k < a.size(); k++) {
            x[a.index(k)] = a.value(k);
        }
        for (int k = 0; k < b.size(); k++) {
            y[b.index(k)] = b.value(k);
        }
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < vocab; i++) {
            dot += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }
}
