package dev.lsr.encoder.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.encoder.head.FusedHead;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.head.HeadWeights;
import dev.lsr.encoder.head.ReferenceHead;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The int8 ONNX Runtime head against the scalar reference head, within its quantisation bound. */
class OnnxInt8HeadTest {

    @TempDir
    Path tmp;

    static float[] gaussian(int n, double sd, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble(1e-12, 1.0);
            a[i] = (float) (sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return a;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private HeadWeights head(int vocab, int hidden, long seed) throws Exception {
        Path f = tmp.resolve("head-" + vocab + "x" + hidden + ".bin");
        HeadFile.write(f, gaussian(vocab * hidden, 0.05, seed), gaussian(vocab, 0.5, seed + 1), vocab, hidden, HeadDType.FP32);
        return HeadFile.open(f);
    }

    @Test
    void agreesWithTheReferenceWithinTheQuantisationBoundOnEveryMaskKind() throws Exception {
        for (int[] shape : new int[][] {{77, 37}, {1000, 101}, {31, 1}}) {
            int vocab = shape[0];
            int hidden = shape[1];
            int batch = 5;
            int tokens = 9;
            float[] h = gaussian(batch * tokens * hidden, 1.0, 7);
            // One channel 20x the rest, as BERT's outlier dimensions: the per-token step must hold it.
            for (int t = 0; t < batch * tokens; t++) {
                h[t * hidden] *= 20;
            }
            int[] mask = new int[batch * tokens];
            for (int t = 0; t < tokens; t++) {
                mask[t] = 1;                                   // full
                mask[tokens + t] = t < 4 ? 1 : 0;              // prefix
                mask[2 * tokens + t] = t % 3 == 1 ? 0 : 1;     // holes
                mask[3 * tokens + t] = 0;                      // all padding
                mask[4 * tokens + t] = t == tokens - 1 ? 1 : 0; // one token at the end
            }
            // The form this CPU runs, and the two forms for x86 without VNNI on every CPU.
            for (IntegerProducts form : EnumSet.of(IntegerProducts.forThisMachine(), IntegerProducts.UNSIGNED_WEIGHTS,
                    IntegerProducts.SEVEN_BIT_WEIGHTS)) {
                try (HeadWeights w = head(vocab, hidden, vocab + hidden); OnnxInt8Head onnx = new OnnxInt8Head(w, 2, form)) {
                    float[] ref = new float[batch * vocab];
                    new ReferenceHead(w).maxLogits(h, batch, tokens, mask, ref);
                    float[] got = new float[batch * vocab];
                    onnx.maxLogits(h, batch, tokens, mask, got);
                    for (int s = 0; s < batch; s++) {
                        for (int v = 0; v < vocab; v++) {
                            int i = s * vocab + v;
                            if (s == 3) {
                                assertThat(got[i]).as("all padding").isEqualTo(Float.NEGATIVE_INFINITY);
                                continue;
                            }
                            // |max_t a_t - max_t b_t| <= max_t |a_t - b_t|, and each product's error is at
                            // most step_t / 2 * sum|w_v| + scale_v / 2 * sum|h_t| (+ their product).
                            double bound = 0;
                            float wmax = 0;
                            double wsum = 0;
                            for (int k = 0; k < hidden; k++) {
                                wmax = Math.max(wmax, Math.abs(w.weight(v, k)));
                                wsum += Math.abs(w.weight(v, k));
                            }
                            for (int t = 0; t < tokens; t++) {
                                if (mask[s * tokens + t] == 0) {
                                    continue;
                                }
                                float hmax = 0;
                                double hsum = 0;
                                for (int k = 0; k < hidden; k++) {
                                    float x = h[(s * tokens + t) * hidden + k];
                                    hmax = Math.max(hmax, Math.abs(x));
                                    hsum += Math.abs(x);
                                }
                                double step = hmax / 127.0;
                                double ws = wmax / (double) form.weightLevels();
                                bound = Math.max(bound, step / 2 * wsum + ws / 2 * hsum + hidden * step * ws / 4);
                            }
                            assertThat((double) Math.abs(got[i] - ref[i])).as("%s, shape %s seq %d term %d", form, Arrays.toString(shape), s, v)
                                    .isLessThanOrEqualTo(bound * 1.01 + 1e-5);
                        }
                        if (s != 3 && vocab >= 77) {
                            float[] a = Arrays.copyOfRange(ref, s * vocab, (s + 1) * vocab);
                            float[] b = Arrays.copyOfRange(got, s * vocab, (s + 1) * vocab);
                            FusedHead.log1pRelu(a, 0, vocab);
                            FusedHead.log1pRelu(b, 0, vocab);
                            assertThat(cosine(a, b)).as("shape %s seq %d", Arrays.toString(shape), s).isGreaterThan(0.999);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aSequenceWithHolesGivesWhatItsRealTokensGiveAlone() throws Exception {
        int vocab = 200;
        int hidden = 48;
        int tokens = 12;
        float[] h = gaussian(tokens * hidden, 1.0, 11);
        int[] holed = new int[tokens];
        int real = 0;
        for (int t = 0; t < tokens; t++) {
            holed[t] = t % 4 == 2 ? 0 : 1;
            real += holed[t];
        }
        float[] packed = new float[real * hidden];
        for (int t = 0, r = 0; t < tokens; t++) {
            if (holed[t] == 1) {
                System.arraycopy(h, t * hidden, packed, r++ * hidden, hidden);
            }
        }
        int[] ones = new int[real];
        Arrays.fill(ones, 1);
        try (HeadWeights w = head(vocab, hidden, 3); OnnxInt8Head onnx = new OnnxInt8Head(w, 1)) {
            float[] a = new float[vocab];
            float[] b = new float[vocab];
            onnx.maxLogits(h, 1, tokens, holed, a);
            onnx.maxLogits(packed, 1, real, ones, b);
            assertThat(a).containsExactly(b);
        }
    }

    @Test
    void refusesShapesThatDoNotMatch() throws Exception {
        try (HeadWeights w = head(50, 8, 5); OnnxInt8Head onnx = new OnnxInt8Head(w, 1)) {
            assertThatThrownBy(() -> onnx.maxLogits(new float[2 * 3 * 8], 2, 3, new int[5], new float[100]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shapes");
            assertThatThrownBy(() -> onnx.maxLogits(new float[2 * 3 * 8], 2, 3, new int[6], new float[99]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
