package dev.lsr.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.tokenize.TextTokenizer;
import dev.lsr.seismic.SparseVector;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparseEncoderTest {

    static final List<String> TEXTS = List.of(
            "what is the capital of france",
            "Aspirin reduces the risk of heart attacks in adults over fifty, a randomised trial found.",
            "short",
            "Protein folding: the process by which a polypeptide chain acquires its native 3-D structure!");

    /** log1p(relu(max over all tokens of the ORIGINAL model's logits)), straight from ONNX Runtime. */
    static float[] reference(OrtSession original, TextTokenizer tok, String text) throws Exception {
        long[] ids = tok.encode(text).ids();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {1, ids.length};
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
        long[] ones = new long[ids.length];
        java.util.Arrays.fill(ones, 1);
        in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape));
        in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
        try (OrtSession.Result r = original.run(in)) {
            float[][][] logits = (float[][][]) r.get(0).getValue();
            int vocab = logits[0][0].length;
            float[] out = new float[vocab];
            for (int v = 0; v < vocab; v++) {
                float m = Float.NEGATIVE_INFINITY;
                for (float[] row : logits[0]) {
                    m = Math.max(m, row[v]);
                }
                out[v] = (float) Math.log1p(Math.max(m, 0f));
            }
            return out;
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Test
    void rawVectorsEqualTheOriginalModelsLogits() throws Exception {
        var dir = TinyModel.dir();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        // Batch size 1: the tiny model only zeroes padded ids and does not mask attention, so padding
        // would change its outputs (the BERT graph we build masks attention; its test covers batching).
        try (SparseEncoder enc = SparseEncoder.open(dir, EncoderOptions.defaults().withRaw(true).withThreads(2).withBatchSize(1));
                OrtSession original = env.createSession(TinyModel.onnx().toString(), new OrtSession.SessionOptions());
                TextTokenizer tok = TextTokenizer.open(TinyModel.tokenizer(), 512, true)) {
            List<EncodedText> docs = enc.encodeDocuments(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] expected = reference(original, tok, TEXTS.get(i));
                float[] actual = new float[expected.length];
                SparseVector v = docs.get(i).vector();
                for (int k = 0; k < v.size(); k++) {
                    actual[v.index(k)] = v.value(k);
                }
                for (int t = 0; t < expected.length; t++) {
                    assertThat(actual[t]).as("text %d term %d", i, t).isCloseTo(expected[t], within(1e-4f));
                }
                // A query is the same computation on one text.
                SparseVector q = enc.encodeQuery(TEXTS.get(i)).vector();
                assertThat(q.size()).isEqualTo(v.size());
            }
            assertThat(docs.get(0).tokens()).containsExactly("what", "is", "the", "capital", "of", "france");
        }
    }

    @Test
    void prunedDocumentVectorsAreCappedMaskedAndCentred() throws Exception {
        var dir = TinyModel.dir();
        try (SparseEncoder enc = SparseEncoder.open(dir, EncoderOptions.defaults().withThreads(1).withTopK(20).withCentring(false))) {
            float[][] m = enc.maxLogits(TEXTS);
            SparseVector v = enc.encodeDocuments(TEXTS).get(1).vector();
            assertThat(v).isEqualTo(enc.postprocess(m[1]));
            assertThat(v.size()).isLessThanOrEqualTo(20).isPositive();
            for (int k = 0; k < v.size(); k++) {
                String t = enc.vocabulary().token(v.index(k));
                assertThat(t).doesNotStartWith("[").isNotIn(".", ",", "!", ":", "-");
            }
            // Centring at the 100th percentile of the texts themselves leaves nothing positive.
            float[] off = SparseEncoder.centringOffsets(m, 100);
            SparseEncoder centred = enc.withOptions(enc.options().withTermOffsets(off).withTopK(0));
            for (float[] row : m) {
                assertThat(centred.postprocess(row).isEmpty()).isTrue();
            }
            // At the median, roughly half of each term's activations survive.
            SparseEncoder half = enc.withOptions(enc.options().withTermOffsets(SparseEncoder.centringOffsets(m, 50)).withTopK(0));
            assertThat(half.postprocess(m[1]).size()).isPositive();
        }
    }

    @Test
    void fittedCentringIsStoredWithItsChecksumAndUsedOnOpen(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        var dir = TinyModel.importTo(tmp.resolve("m"));
        float[] off;
        try (SparseEncoder enc = SparseEncoder.open(dir, EncoderOptions.defaults().withThreads(1))) {
            off = enc.fitCentring(TEXTS, 75);
            assertThat(off).hasSize(enc.info().vocabSize());
        }
        assertThat(dev.lsr.encoder.model.ModelDirectory.open(dir).files()).containsKey("term_offsets.bin");
        assertThat(TermOffsets.read(dir.resolve("term_offsets.bin"), off.length)).containsExactly(off);
        try (SparseEncoder enc = SparseEncoder.open(dir, EncoderOptions.defaults().withThreads(1).withTopK(0));
                SparseEncoder plain = SparseEncoder.open(dir, EncoderOptions.defaults().withThreads(1).withTopK(0).withCentring(false))) {
            float[] m = enc.maxLogits(List.of(TEXTS.get(1)))[0];
            SparseEncoder explicit = plain.withOptions(plain.options().withTermOffsets(off));
            assertThat(enc.postprocess(m)).isEqualTo(explicit.postprocess(m));
            assertThat(enc.postprocess(m).size()).isLessThan(plain.postprocess(m).size());
        }
    }

    @Test
    void fittedQueryWeightsAreTheSamplesIdfAndMakeQueriesInferenceFree(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        var dir = TinyModel.importTo(tmp.resolve("m"));
        int[] df;
        QueryWeights w;
        try (SparseEncoder enc = SparseEncoder.open(dir, EncoderOptions.defaults().withThreads(1))) {
            df = new int[enc.info().vocabSize()];
            for (EncodedText e : enc.encodeDocuments(TEXTS)) {
                for (int i = 0; i < e.vector().size(); i++) {
                    df[e.vector().index(i)]++;
                }
            }
            w = enc.fitQueryWeights(TEXTS, 2.0);
        }
        QueryWeights expected = QueryWeights.fromDocumentFrequencies(df, TEXTS.size(), 2.0);
        int nonZero = 0;
        for (int t = 0; t < df.length; t++) {
            assertThat(w.weight(t)).as("term %d", t).isEqualTo(expected.weight(t));
            nonZero += df[t] > 0 ? 1 : 0;
        }
        assertThat(nonZero).isPositive();
        assertThat(dev.lsr.encoder.model.ModelDirectory.open(dir).files()).containsKey("query_weights.json");

        // Stored: an encoder opened on the directory with inference-free queries weighs each query piece by it.
        try (SparseEncoder enc = SparseEncoder.open(dir, EncoderOptions.defaults().withThreads(1).withQueryMode(QueryMode.INFERENCE_FREE))) {
            SparseVector q = enc.encodeQuery(TEXTS.get(1)).vector();
            assertThat(q.size()).isPositive();
            for (int i = 0; i < q.size(); i++) {
                assertThat(q.value(i)).isEqualTo(w.weight(q.index(i)));
            }
        }
    }

    @Test
    void emptyAndBlankTextGiveEmptyVectors() throws Exception {
        try (SparseEncoder enc = SparseEncoder.open(TinyModel.dir(), EncoderOptions.defaults().withThreads(1))) {
            assertThat(enc.encodeQuery("").vector().isEmpty()).isTrue();
            assertThat(enc.encodeQuery("  \t\n").vector().isEmpty()).isTrue();
            List<EncodedText> docs = enc.encodeDocuments(List.of("", "real text here", " "));
            assertThat(docs.get(0).vector().isEmpty()).isTrue();
            assertThat(docs.get(1).vector().isEmpty()).isFalse();
            assertThat(docs.get(2).vector().isEmpty()).isTrue();
        }
    }

    @Test
    void longTextIsTruncatedAtMaxTokens() throws Exception {
        try (SparseEncoder enc = SparseEncoder.open(TinyModel.dir(), EncoderOptions.defaults().withThreads(1))) {
            String longText = "word ".repeat(2000);
            EncodedText e = enc.encodeDocuments(List.of(longText)).get(0);
            assertThat(e.truncated()).isTrue();
            assertThat(e.tokens()).hasSize(enc.info().maxTokens() - 2);
        }
    }

    @Test
    void inferenceFreeQueriesUseTheTableOnly() throws Exception {
        try (SparseEncoder enc = SparseEncoder.open(TinyModel.dir(), EncoderOptions.defaults().withThreads(1))) {
            int vocab = enc.info().vocabSize();
            int[] df = new int[vocab];
            int capital = enc.vocabulary().idOrThrow("capital");
            int the = enc.vocabulary().idOrThrow("the");
            df[capital] = 10;
            df[the] = 900;
            QueryWeights qw = QueryWeights.fromDocumentFrequencies(df, 1000);
            SparseEncoder free = enc.withOptions(enc.options().withQueryWeights(qw));
            SparseVector v = free.encodeQuery("the capital, the CAPITAL").vector();
            assertThat(v.indices()).containsExactlyInAnyOrder(capital, the);
            assertThat(v.dot(SparseVector.of(new int[] {capital}, new float[] {1f}, vocab)))
                    .isCloseTo((float) Math.log(1 + (1000 - 10 + 0.5) / 10.5), within(1e-5f));
            assertThat(qw.weight(the)).isLessThan(qw.weight(capital));
            // idf^p: squared weights, and only positive powers.
            QueryWeights sq = QueryWeights.fromDocumentFrequencies(df, 1000, 2.0);
            assertThat(sq.weight(capital)).isCloseTo(qw.weight(capital) * qw.weight(capital), within(1e-4f));
            assertThat(sq.weight(5)).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> QueryWeights.fromDocumentFrequencies(df, 1000, 0))
                    .hasMessageContaining("power");
            // Round trip through query_weights.json.
            var file = java.nio.file.Files.createTempFile("qw", ".json");
            qw.write(file, enc.vocabulary());
            QueryWeights back = QueryWeights.read(file, enc.vocabulary());
            assertThat(back.weight(capital)).isEqualTo(qw.weight(capital));
            assertThat(back.weight(5)).isZero();
        }
    }
}
