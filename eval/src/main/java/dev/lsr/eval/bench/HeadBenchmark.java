package dev.lsr.eval.bench;

import dev.lsr.encoder.head.FusedHead;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.head.HeadWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The head alone: the fused Java head against the same projection run by ONNX Runtime, at T=16
 * (a query) and T=256 (one document-length sequence), with the same thread count; the bf16 and
 * int8 variants of the head (speed and cosine of their log1p(relu) vectors to fp32); and the
 * memory of the fused path against materialised logits for a 32 x 256 batch.
 */
public final class HeadBenchmark {

    public static final int[] TOKENS = {16, 256};
    static final int BATCH = 32;
    static final int BATCH_TOKENS = 256;

    /** Settings; {@code hiddenStates} (rows of {@code hidden} floats, at least 256 of them) feed the timed calls. */
    public record Settings(int threads, int repsShort, int repsLong, long warmupMs, boolean variants, Path workDir) {}

    private final Settings settings;
    private final PrintStream log;

    public HeadBenchmark(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * @param head the model's head.bin (any dtype; the ONNX graph gets its dequantised weights)
     * @param sequences hidden states of real or synthetic sequences, each {@code [tokens x hidden]},
     *     used for the variants' cosine; the first must have at least 256 rows (timing input)
     * @return the report fragment: {@code head_ms}, {@code head_peak_bytes} and extras
     */
    public Map<String, Object> run(Path head, List<float[]> sequences) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        int threads = settings.threads();
        try (HeadWeights w = HeadFile.open(head)) {
            int h = w.hidden();
            int vocab = w.vocab();
            float[] x = sequences.get(0);
            if (x.length < BATCH_TOKENS * h) {
                throw new IllegalArgumentException("timing input needs " + BATCH_TOKENS + " rows of " + h);
            }
            log.printf(Locale.ROOT, "head: %s, vocab %d x hidden %d, %s, kernel %d float lanes, %d thread(s)%n",
                    head, vocab, h, w.dtype(), FusedHead.lanes(), threads);
            Map<String, Object> fusedMs = new LinkedHashMap<>();
            Map<String, Object> onnxMs = new LinkedHashMap<>();
            Map<String, Object> fused1 = new LinkedHashMap<>();
            Map<String, Object> onnx1 = new LinkedHashMap<>();
            Map<String, Object> diffs = new LinkedHashMap<>();
            log.println("head: building the unfused ONNX head graph for ONNX Runtime...");
            try (OrtHead ortN = new OrtHead(w, threads); OrtHead ort1 = new OrtHead(w, 1);
                    FusedHead fusedN = new FusedHead(w, threads); FusedHead fusedOne = new FusedHead(w, 1)) {
                for (int t : TOKENS) {
                    int[] mask = ones(t);
                    float[] outF = new float[vocab];
                    float[] outO = new float[vocab];
                    FloatBuffer in = ortN.input(x, t);
                    int reps = t <= 16 ? settings.repsShort() : settings.repsLong();
                    HeadTiming.Pair p = HeadTiming.alternate(() -> fusedN.maxLogits(x, 1, t, mask, outF),
                            () -> ortN.maxLogits(in, t, outO), Math.max(2, reps / 5), settings.warmupMs(), reps);
                    fusedMs.put(Integer.toString(t), p.aMs());
                    onnxMs.put(Integer.toString(t), p.bMs());
                    diffs.put(Integer.toString(t), maxAbsDiff(outF, outO));
                    log.printf(Locale.ROOT, "head T=%d (%d thread(s)): fused %.3f ms, ONNX Runtime %.3f ms, speedup %.2fx"
                            + " (max |diff| %.2e)%n", t, threads, p.aMs(), p.bMs(), p.bMs() / p.aMs(), maxAbsDiff(outF, outO));
                    if (threads > 1) {
                        HeadTiming.Pair p1 = HeadTiming.alternate(() -> fusedOne.maxLogits(x, 1, t, mask, outF),
                                () -> ort1.maxLogits(in, t, outO), Math.max(2, reps / 5), settings.warmupMs(), reps);
                        fused1.put(Integer.toString(t), p1.aMs());
                        onnx1.put(Integer.toString(t), p1.bMs());
                        log.printf(Locale.ROOT, "head T=%d (1 thread):  fused %.3f ms, ONNX Runtime %.3f ms, speedup %.2fx%n",
                                t, p1.aMs(), p1.bMs(), p1.bMs() / p1.aMs());
                    }
                }
            }
            report.put("head_ms", Map.of("fused", fusedMs, "onnx", onnxMs));
            report.put("head_threads", threads);
            report.put("head_sequences", "one sequence of T tokens per call (T=256: a single 256-token sequence)");
            report.put("head_max_abs_diff_fused_vs_onnx", diffs);
            if (threads > 1) {
                report.put("head_ms_1_thread", Map.of("fused", fused1, "onnx", onnx1));
            }
            report.put("head_peak_bytes", peakBytes(w, x));
            if (settings.variants()) {
                report.put("head_variants", variants(head, w, sequences));
            }
        }
        return report;
    }

    private Map<String, Object> peakBytes(HeadWeights w, float[] seq) {
        int h = w.hidden();
        int vocab = w.vocab();
        float[] batch = new float[BATCH * BATCH_TOKENS * h];
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(seq, 0, batch, b * BATCH_TOKENS * h, BATCH_TOKENS * h);
        }
        int[] mask = ones(BATCH * BATCH_TOKENS);
        float[] out = new float[BATCH * vocab];
        long allocated;
        long scratch;
        double ms;
        try (FusedHead fused = new FusedHead(w, settings.threads())) {
            scratch = fused.scratchBytes();
            fused.maxLogits(batch, 1, BATCH_TOKENS, mask, out); // warm the fan-out path
            long before = HeapAllocation.allThreads();
            long t0 = System.nanoTime();
            fused.maxLogits(batch, BATCH, BATCH_TOKENS, mask, out);
            ms = (System.nanoTime() - t0) / 1e6;
            allocated = HeapAllocation.allThreads() - before;
        }
        long outBytes = 4L * BATCH * vocab;
        // The kernel keeps its tiles in registers: what it holds besides the output is its scratch
        // (fan-out bookkeeping). Allocation during the call is measured too, as a cross-check
        // (it counts garbage, and before C2 has compiled the kernel, boxed vectors).
        long fusedBytes = outBytes + scratch;
        long materialised = 4L * BATCH * BATCH_TOKENS * vocab;
        log.printf(Locale.ROOT, "head memory, %d x %d batch: fused %,d bytes (output %,d + scratch %,d; measured allocation during the call %,d),"
                + " materialised logits %,d bytes (%.2f%%); fused batch took %.0f ms%n",
                BATCH, BATCH_TOKENS, fusedBytes, outBytes, scratch, allocated, materialised,
                100.0 * fusedBytes / materialised, ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fused", fusedBytes);
        m.put("materialised", materialised);
        m.put("fused_output_bytes", outBytes);
        m.put("fused_scratch_bytes", scratch);
        m.put("fused_allocated_during_call", allocated);
        m.put("batch", BATCH + "x" + BATCH_TOKENS);
        m.put("fused_batch_ms", Math.round(ms * 1000) / 1000.0);
        return m;
    }

    /** bf16 and int8 heads: from the model directory when present (head.bf16.bin, head.int8.bin), else converted. */
    private Map<String, Object> variants(Path head, HeadWeights base, List<float[]> sequences) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        int h = base.hidden();
        int vocab = base.vocab();
        List<float[]> reference = new ArrayList<>();
        try (FusedHead f = new FusedHead(base, settings.threads())) {
            for (float[] s : sequences) {
                reference.add(activated(f, s, h, vocab));
            }
        }
        for (HeadDType dtype : HeadDType.values()) {
            if (dtype == base.dtype()) {
                continue;
            }
            String suffix = dtype.name().toLowerCase(Locale.ROOT);
            Path file = head.resolveSibling("head." + suffix + ".bin");
            String source = "model directory";
            if (!Files.exists(file)) {
                Files.createDirectories(settings.workDir());
                file = settings.workDir().resolve("head." + suffix + ".bin");
                HeadFile.convert(head, file, dtype);
                source = "converted from " + head.getFileName();
            }
            try (HeadWeights w = HeadFile.open(file); FusedHead f = new FusedHead(w, settings.threads())) {
                Map<String, Object> ms = new LinkedHashMap<>();
                float[] x = sequences.get(0);
                for (int t : TOKENS) {
                    int[] mask = ones(t);
                    float[] o = new float[vocab];
                    int reps = t <= 16 ? settings.repsShort() : settings.repsLong();
                    ms.put(Integer.toString(t), HeadTiming.single(() -> f.maxLogits(x, 1, t, mask, o),
                            Math.max(2, reps / 5), settings.warmupMs(), reps));
                }
                double min = 1;
                double sum = 0;
                for (int i = 0; i < sequences.size(); i++) {
                    double c = cosine(reference.get(i), activated(f, sequences.get(i), h, vocab));
                    min = Math.min(min, c);
                    sum += c;
                }
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("head_ms", ms);
                v.put("cosine_to_fp32", Map.of("min", round6(min), "mean", round6(sum / sequences.size())));
                v.put("file_bytes", w.fileBytes());
                v.put("source", source);
                out.put(suffix, v);
                log.printf(Locale.ROOT, "head %s (%s): T=16 %.3f ms, T=256 %.3f ms, cosine of log1p(relu) to fp32"
                        + " min %.6f mean %.6f over %d sequences, %,d bytes%n", suffix, source, ms.get("16"),
                        ms.get("256"), min, sum / sequences.size(), sequences.size(), w.fileBytes());
            }
        }
        return out;
    }

    private static float[] activated(FusedHead f, float[] seq, int h, int vocab) {
        int t = seq.length / h;
        float[] out = new float[vocab];
        f.maxLogits(seq, 1, t, ones(t), out);
        FusedHead.log1pRelu(out, 0, vocab);
        return out;
    }

    /** Synthetic hidden states: unit-variance Gaussian rows, the scale a LayerNorm output has. */
    public static float[] gaussianRows(int rows, int hidden, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[rows * hidden];
        for (int i = 0; i < a.length; i++) {
            double u = r.nextDouble(1e-12, 1.0);
            a[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return a;
    }

    static int[] ones(int n) {
        int[] m = new int[n];
        Arrays.fill(m, 1);
        return m;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs((double) a[i] - b[i]));
        }
        return d;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 && nb == 0 ? 1 : dot / Math.sqrt(na * nb);
    }

    static double round6(double x) {
        return Math.round(x * 1e6) / 1e6;
    }
}
