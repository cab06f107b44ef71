package dev.lsr.encoder.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FusedHeadTest {

    @TempDir
    Path dir;

    private static void assertClose(float[] actual, float[] expected, double rel) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Float.isInfinite(expected[i])) {
                assertThat(actual[i]).as("entry %d", i).isEqualTo(expected[i]);
            } else {
                assertThat((double) actual[i]).as("entry %d", i)
                        .isCloseTo(expected[i], within(rel * (1 + Math.abs(expected[i]))));
            }
        }
    }

    /** Odd sizes on purpose: hidden not a multiple of any vector length, vocab not a multiple of the panel. */
    @ParameterizedTest(name = "{0}: vocab {1}, hidden {2}, batch {3} x {4} tokens, {5} threads")
    @CsvSource({
        "FP32, 77, 37, 4, 11, 1",
        "FP32, 1000, 101, 5, 23, 3",
        "FP32, 33, 1, 1, 1, 1",
        "FP32, 31, 64, 2, 9, 2",
        "BF16, 77, 37, 4, 11, 1",
        "BF16, 1000, 101, 5, 23, 3",
        "INT8, 77, 37, 4, 11, 1",
        "INT8, 1000, 101, 5, 23, 3",
    })
    void fusedAgreesWithReference(HeadDType dtype, int vocab, int hidden, int batch, int tokens, int threads)
            throws IOException {
        float[] w = HeadTestData.gaussian(vocab * hidden, 0.5, 1);
        float[] bias = HeadTestData.gaussian(vocab, 1.0, 2);
        float[] x = HeadTestData.gaussian(batch * tokens * hidden, 1.0, 3);
        int[] mask = HeadTestData.mask(batch, tokens, true, 4);
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, w, bias, vocab, hidden, dtype);
        float[] fused = new float[batch * vocab];
        float[] ref = new float[batch * vocab];
        try (HeadWeights hw = HeadFile.open(file); FusedHead head = new FusedHead(hw, threads)) {
            head.maxLogits(x, batch, tokens, mask, fused);
            new ReferenceHead(hw).maxLogits(x, batch, tokens, mask, ref);
        }
        System.out.println("fused head kernel: " + FusedHead.lanes() + " float lanes, " + dtype);
        assertClose(fused, ref, 1e-4);
        if (batch > 3) {
            // the fourth sequence is all padding
            assertThat(fused[3 * vocab]).isEqualTo(Float.NEGATIVE_INFINITY);
        }
    }

    /**
     * The build also runs this class at narrower widths (encoder/pom.xml: {@code -XX:MaxVectorSize=32}
     * and {@code =16}, with {@code lsr.test.maxVectorBytes} naming the width): the kernel must really
     * run at most that wide there, or those runs would only repeat the default one.
     */
    @Test
    void kernelRunsNoWiderThanTheBuildAsked() {
        Integer maxBytes = Integer.getInteger("lsr.test.maxVectorBytes");
        System.out.println("fused head kernel: " + FusedHead.lanes() + " float lanes"
                + (maxBytes == null ? " (this CPU's widest)" : ", asked for at most " + maxBytes + " bytes"));
        assertThat(FusedHead.lanes()).isGreaterThanOrEqualTo(2);
        if (maxBytes != null) {
            assertThat(FusedHead.lanes() * Float.BYTES).isLessThanOrEqualTo(maxBytes);
        }
    }

    /**
     * The int8 head widens each panel once (to the bf16 layout) when a call has enough tokens; that path and
     * the per-tile conversion must give the same sums bit for bit, and both agree with the reference.
     */
    @ParameterizedTest(name = "vocab {0}, hidden {1}, batch {2} x {3} tokens, {4} threads")
    @CsvSource({
        "77, 37, 4, 11, 1",
        "1000, 101, 5, 23, 3",
        "31, 64, 2, 9, 2",
        "300, 768, 3, 40, 2",
    })
    void int8WidenedPanelsEqualPerTileConversion(int vocab, int hidden, int batch, int tokens, int threads)
            throws IOException {
        float[] w = HeadTestData.gaussian(vocab * hidden, 0.5, 31);
        float[] bias = HeadTestData.gaussian(vocab, 1.0, 32);
        float[] x = HeadTestData.gaussian(batch * tokens * hidden, 1.0, 33);
        int[] mask = HeadTestData.mask(batch, tokens, true, 34);
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, w, bias, vocab, hidden, HeadDType.INT8);
        float[] widened = new float[batch * vocab];
        float[] perTile = new float[batch * vocab];
        float[] ref = new float[batch * vocab];
        try (HeadWeights hw = HeadFile.open(file); FusedHead always = new FusedHead(hw, threads, 0);
                FusedHead never = new FusedHead(hw, threads, Integer.MAX_VALUE)) {
            always.maxLogits(x, batch, tokens, mask, widened);
            never.maxLogits(x, batch, tokens, mask, perTile);
            new ReferenceHead(hw).maxLogits(x, batch, tokens, mask, ref);
        }
        assertThat(widened).containsExactly(perTile);
        assertClose(widened, ref, 1e-4);
    }

    @ParameterizedTest
    @EnumSource(value = HeadDType.class, names = {"BF16", "INT8"})
    void quantisedHeadsStayCloseToFp32(HeadDType dtype) throws IOException {
        int vocab = 2000, hidden = 256, batch = 3, tokens = 16;
        // A BERT-like head: small weights, hidden states of unit scale, negative bias so that most
        // terms end below zero as in a real MLM.
        float[] w = HeadTestData.gaussian(vocab * hidden, 0.05, 11);
        float[] bias = HeadTestData.gaussian(vocab, 0.5, 12);
        for (int i = 0; i < vocab; i++) {
            bias[i] -= 1.0f;
        }
        float[] x = HeadTestData.gaussian(batch * tokens * hidden, 1.0, 13);
        int[] mask = HeadTestData.mask(batch, tokens, false, 14);
        Path fp32 = dir.resolve("fp32.bin");
        Path q = dir.resolve("q.bin");
        HeadFile.write(fp32, w, bias, vocab, hidden, HeadDType.FP32);
        HeadFile.convert(fp32, q, dtype);
        float[] exact = new float[batch * vocab];
        float[] quant = new float[batch * vocab];
        try (HeadWeights a = HeadFile.open(fp32); HeadWeights b = HeadFile.open(q);
                FusedHead ha = new FusedHead(a, 1); FusedHead hb = new FusedHead(b, 2)) {
            assertThat(b.dtype()).isEqualTo(dtype);
            ha.maxLogits(x, batch, tokens, mask, exact);
            hb.maxLogits(x, batch, tokens, mask, quant);
        }
        // Logit error bound: per-weight error (bf16: 2^-9 relative; int8: half a step of max|w|/127)
        // accumulates like a random walk over hidden; 0.05 is several sigma for these scales.
        assertClose(quant, exact, 0.05);
        for (int s = 0; s < batch; s++) {
            float[] e = java.util.Arrays.copyOfRange(exact, s * vocab, (s + 1) * vocab);
            float[] g = java.util.Arrays.copyOfRange(quant, s * vocab, (s + 1) * vocab);
            assertThat(HeadTestData.cosine(HeadTestData.log1pRelu(e), HeadTestData.log1pRelu(g)))
                    .as("cosine of log1p(relu) vectors, sequence %d", s).isGreaterThanOrEqualTo(0.999);
        }
    }

    /** Back-to-back parallel calls: each must be complete when it returns (no chunk still running). */
    @ParameterizedTest
    @EnumSource(HeadDType.class)
    void repeatedParallelCallsAreEachComplete(HeadDType dtype) throws IOException {
        // Just above FusedHead's fan-out threshold (2M multiply-adds), so every call goes parallel.
        int vocab = 200, hidden = 40, tokens = 256;
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, HeadTestData.gaussian(vocab * hidden, 1, 21), HeadTestData.gaussian(vocab, 1, 22),
                vocab, hidden, dtype);
        int[] mask = new int[tokens];
        java.util.Arrays.fill(mask, 1);
        float[] ref = new float[vocab];
        try (HeadWeights hw = HeadFile.open(file); FusedHead head = new FusedHead(hw, 2);
                FusedHead single = new FusedHead(hw, 1)) {
            float[] x0 = HeadTestData.gaussian(tokens * hidden, 1, 100);
            new ReferenceHead(hw).maxLogits(x0, 1, tokens, mask, ref);
            float[] out0 = new float[vocab];
            head.maxLogits(x0, 1, tokens, mask, out0);
            assertClose(out0, ref, 1e-4);
            for (int rep = 1; rep < 12; rep++) {
                float[] x = HeadTestData.gaussian(tokens * hidden, 1, 100 + rep);
                // Same arithmetic per panel whatever thread runs it: results are bit-identical.
                single.maxLogits(x, 1, tokens, mask, ref);
                float[] out = new float[vocab];
                head.maxLogits(x, 1, tokens, mask, out);
                assertThat(out).as("call %d", rep).containsExactly(ref);
            }
        }
    }

    /**
     * Each calling thread keeps its packed tokens between calls: a call after a larger one (stale
     * tiles left in the buffer) and calls from several threads at once (each packing its own) must
     * each see only their own tokens. Shapes alternate large and small on purpose.
     */
    @ParameterizedTest
    @EnumSource(HeadDType.class)
    void packedTokensAreThePerThreadCallsOwn(HeadDType dtype) throws Exception {
        int vocab = 70, hidden = 24;
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, HeadTestData.gaussian(vocab * hidden, 1, 31), HeadTestData.gaussian(vocab, 1, 32),
                vocab, hidden, dtype);
        int[][] shapes = {{3, 40}, {1, 5}, {2, 13}, {4, 2}, {1, 64}};
        try (HeadWeights hw = HeadFile.open(file); FusedHead head = new FusedHead(hw, 2)) {
            ReferenceHead reference = new ReferenceHead(hw);
            java.util.concurrent.Callable<Void> calls = () -> {
                for (int rep = 0; rep < 20; rep++) {
                    int[] shape = shapes[rep % shapes.length];
                    int batch = shape[0], tokens = shape[1];
                    float[] x = HeadTestData.gaussian(batch * tokens * hidden, 1, 200 + rep);
                    int[] mask = HeadTestData.mask(batch, tokens, true, 300 + rep);
                    float[] out = new float[batch * vocab];
                    float[] ref = new float[batch * vocab];
                    head.maxLogits(x, batch, tokens, mask, out);
                    reference.maxLogits(x, batch, tokens, mask, ref);
                    assertClose(out, ref, 1e-4);
                }
                return null;
            };
            var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                for (var f : pool.invokeAll(java.util.List.of(calls, calls, calls))) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void rejectsArraysTooShortForTheShapes() throws IOException {
        Path file = dir.resolve("head.bin");
        HeadFile.write(file, new float[8 * 4], new float[8], 8, 4, HeadDType.FP32);
        try (HeadWeights hw = HeadFile.open(file); FusedHead head = new FusedHead(hw, 1)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> head.maxLogits(new float[7], 1, 2, new int[] {1, 1}, new float[8]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> head.maxLogits(new float[8], 1, 2, new int[] {1, 1}, new float[7]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out");
        }
    }
}
