package dev.lsr.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.head.HeadWeights;
import dev.lsr.encoder.head.ReferenceHead;
import dev.lsr.encoder.onnx.OrtBody;
import dev.lsr.encoder.tokenize.TextTokenizer;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real BERT checkpoint: runs only when the Maven artifact is already in the local repository. */
class BertImportTest {

    @TempDir
    static Path tmp;

    static Path dir;
    /** One session for the whole class: creating a BERT-base session takes seconds. */
    static SparseEncoder encoder;

    @BeforeAll
    static void importOnce() throws Exception {
        Path jar = MavenArtifacts.local(BertImporter.DEFAULT_ARTIFACT);
        assumeTrue(Files.isRegularFile(jar), "skipped: " + jar + " is not in the local Maven repository");
        dir = tmp.resolve("bert");
        BertImporter.importCheckpoint("maven:" + BertImporter.DEFAULT_ARTIFACT, dir, "bert-base-uncased-mlm", HeadDType.FP32, ImportProgress.NONE);
        encoder = SparseEncoder.open(dir, EncoderOptions.defaults().withThreads(2));
    }

    @org.junit.jupiter.api.AfterAll
    static void close() {
        if (encoder != null) {
            encoder.close();
        }
    }

    @Test
    void maskedLmPredictsParis() throws Exception {
        ModelInfo info = ModelDirectory.open(dir);
        assertThat(info.vocabSize()).isEqualTo(30522);
        assertThat(info.hiddenSize()).isEqualTo(768);
        try (TextTokenizer tok = TextTokenizer.open(dir.resolve(info.tokenizer()), info.maxTokens(), true);
                OrtBody body = new OrtBody(dir.resolve(ModelInfo.BODY), 2);
                HeadWeights w = HeadFile.open(dir.resolve(ModelInfo.HEAD))) {
            TextTokenizer.Tokens t = tok.encode("the capital of france is [MASK] .");
            int maskAt = List.of(t.pieces()).indexOf("[MASK]");
            assertThat(maskAt).isPositive();
            long[] ones = new long[t.length()];
            java.util.Arrays.fill(ones, 1);
            float[] hidden = body.run(t.ids(), ones, 1, t.length());
            // The head's max over a single "real" token is that token's logits.
            int[] only = new int[t.length()];
            only[maskAt] = 1;
            float[] logits = new float[w.vocab()];
            new ReferenceHead(w).maxLogits(hidden, 1, t.length(), only, logits);
            int best = 0;
            for (int v = 1; v < logits.length; v++) {
                if (logits[v] > logits[best]) {
                    best = v;
                }
            }
            assertThat(encoder.vocabulary().token(best)).isEqualTo("paris");
        }
    }

    @Test
    void paddingInABatchDoesNotChangeVectors() throws Exception {
        List<String> texts = List.of("a short one", "a considerably longer text about protein folding and its kinetics in cells", "mid length text here");
        SparseEncoder batched = encoder.withOptions(encoder.options().withRaw(true).withBatchSize(3));
        SparseEncoder single = encoder.withOptions(encoder.options().withRaw(true).withBatchSize(1));
        {
            List<EncodedText> a = batched.encodeDocuments(texts);
            List<EncodedText> b = single.encodeDocuments(texts);
            for (int i = 0; i < texts.size(); i++) {
                SparseVector x = a.get(i).vector();
                SparseVector y = b.get(i).vector();
                float cos = x.dot(y) / (float) Math.sqrt((double) x.dot(x) * y.dot(y));
                assertThat(cos).as("text %d", i).isCloseTo(1f, within(1e-4f));
            }
        }
    }
}
