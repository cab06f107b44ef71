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
        List<Variant> heads = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            HeadWeights w = HeadFile.open(head);
            open.add(w);
            int h = w.hidden();
            int vocab = w.vocab();
            float[] x = sequences.get(0);
            if (x.length < BATCH_TOKENS * h) {
                throw new IllegalArgumentException("timing input needs " + BATCH_TOKENS + " rows of " + h);
            }
            log.printf(Locale.ROOT, "head: %s, vocab %d x hidden %d, %s, kernel %d float lanes, %d thread(s)%n",
                    head, vocab, h, w.dtype(), FusedHead.lanes(), threads);
            heads.add(variant(w, "model " + head.getFileName(), open));
            if (settings.variants()) {
                for (HeadDType dtype : HeadDType.values()) {
                    if (dtype != w.dtype()) {
                        heads.add(variant(head, dtype, open));
                    }
                }
            }
            Variant base = heads.get(0);
            List<float[]> reference = new ArrayList<>();
            for (float[] seq : sequences) {
                reference.add(activated(base.fusedN(), seq, h, vocab));
            }
            for (Variant v : heads.subList(1, heads.size())) {
                double min = 1;
                double sum = 0;
                for (int i = 0; i < sequences.size(); i++) {
                    double c = cosine(reference.get(i), activated(v.fusedN(), sequences.get(i), h, vocab));
                    min = Math.min(min, c);
                    sum += c;
                }
                v.cosMin = min;
                v.cosMean = sum / sequences.size();
            }

            log.println("head: building the unfused ONNX head graph for ONNX Runtime...");
            OrtHead ortN = new OrtHead(w, threads);
            open.add(ortN);
            OrtHead ort1 = threads > 1 ? new OrtHead(w, 1) : ortN;
            if (threads > 1) {
                open.add(ort1);
            }
            Map<String, Object> onnxMs = new LinkedHashMap<>();
            Map<String, Object> onnx1 = new LinkedHashMap<>();
            Map<String, Object> diffs = new LinkedHashMap<>();
            for (int t : TOKENS) {
                String key = Integer.toString(t);
                int[] mask = ones(t);
                float[] outO = new float[vocab];
                FloatBuffer in = ortN.input(x, t);
                int reps = t <= 16 ? settings.repsShort() : settings.repsLong();
                for (int pass = 0; pass < (threads > 1 ? 2 : 1); pass++) {
                    boolean all = pass == 0;
                    OrtHead ort = all ? ortN : ort1;
                    List<HeadTiming.Call> calls = new ArrayList<>();
                    for (Variant v : heads) {
                        FusedHead f = all ? v.fusedN() : v.fused1();
                        calls.add(() -> f.maxLogits(x, 1, t, mask, v.out));
                    }
                    calls.add(() -> ort.maxLogits(in, t, outO));
                    double[] ms = HeadTiming.roundRobin(calls, Math.max(2, reps / 5), settings.warmupMs(), reps);
                    double onnx = ms[heads.size()];
                    (all ? onnxMs : onnx1).put(key, onnx);
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "head T=%d (%d thread%s): ONNX Runtime %.3f ms", t, all ? threads : 1,
                            all && threads > 1 ? "s" : "", onnx));
                    for (int i = 0; i < heads.size(); i++) {
                        Variant v = heads.get(i);
                        (all ? v.msN : v.ms1).put(key, ms[i]);
                        line.append(String.format(Locale.ROOT, ", fused %s %.3f ms (%.2fx)", v.name, ms[i], onnx / ms[i]));
                    }
                    if (all) {
                        diffs.put(key, maxAbsDiff(base.out, outO));
                        line.append(String.format(Locale.ROOT, "; fp32 fused vs ONNX max |diff| %.2e",
                                maxAbsDiff(base.out, outO)));
                    }
                    log.println(line);
                }
            }
            report.put("head_ms", EncoderBenchmark.ordered("fused", base.msN, "onnx", onnxMs));
            report.put("head_threads", threads);
            report.put("head_dtype", base.name);
            report.put("head_sequences", "one sequence of T tokens per call (T=256: a single 256-token sequence);"
                    + " fused variants and ONNX Runtime timed round-robin in the same loop");
            report.put("head_max_abs_diff_fused_vs_onnx", diffs);
            if (threads > 1) {
                report.put("head_ms_1_thread", EncoderBenchmark.ordered("fused", base.ms1, "onnx", onnx1));
            }
            if (heads.size() > 1) {
                Map<String, Object> vs = new LinkedHashMap<>();
                for (Variant v : heads.subList(1, heads.size())) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("head_ms", v.msN);
                    if (threads > 1) {
                        m.put("head_ms_1_thread", v.ms1);
                    }
                    m.put("cosine_to_fp32", EncoderBenchmark.ordered("min", round6(v.cosMin), "mean", round6(v.cosMean)));
                    m.put("file_bytes", v.weights.fileBytes());
                    m.put("source", v.source);
                    vs.put(v.name, m);
                    log.printf(Locale.ROOT, "head %s (%s): cosine of log1p(relu) to %s min %.6f mean %.6f over %d"
                            + " sequences, %,d bytes%n", v.name, v.source, base.name, v.cosMin, v.cosMean,
                            sequences.size(), v.weights.fileBytes());
                }
                report.put("head_variants", vs);
                Map<String, Object> best = new LinkedHashMap<>();
                for (int t : TOKENS) {
                    String key = Integer.toString(t);
                    Variant b = base;
                    for (Variant v : heads) {
                        if (v.cosMin >= 0.999 && (double) v.msN.get(key) < (double) b.msN.get(key)) {
                            b = v;
                        }
                    }
                    double onnx = (double) onnxMs.get(key);
                    double ms = (double) b.msN.get(key);
                    best.put(key, EncoderBenchmark.ordered("dtype", b.name, "ms", ms, "speedup_vs_onnx",
                            Math.round(onnx / ms * 1000) / 1000.0));
                    log.printf(Locale.ROOT, "head T=%d: fastest fused head with cosine >= 0.999 is %s: %.3f ms vs ONNX"
                            + " Runtime %.3f ms (%.2fx)%n", t, b.name, ms, onnx, onnx / ms);
                }
                report.put("head_ms_best_fused", best);
            }
            report.put("head_peak_bytes", peakBytes(w, x));
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
        return report;
    }

    /** One head file under test, with its fused heads (all threads, one thread) and results. */
    private static final class Variant {
        final String name;
        final String source;
        final HeadWeights weights;
        final FusedHead fusedN;
        final FusedHead fused1;
        final float[] out;
        final Map<String, Object> msN = new LinkedHashMap<>();
        final Map<String, Object> ms1 = new LinkedHashMap<>();
        double cosMin = 1;
        double cosMean = 1;

        Variant(String name, String source, HeadWeights weights, FusedHead fusedN, FusedHead fused1) {
            this.name = name;
            this.source = source;
            this.weights = weights;
            this.fusedN = fusedN;
            this.fused1 = fused1;
            this.out = new float[weights.vocab()];
        }

        FusedHead fusedN() {
            return fusedN;
        }

        FusedHead fused1() {
            return fused1;
        }
    }

    private Variant variant(HeadWeights w, String source, List<AutoCloseable> open) {
        FusedHead n = new FusedHead(w, settings.threads());
        open.add(n);
        FusedHead one = new FusedHead(w, 1);
        open.add(one);
        return new Variant(w.dtype().name().toLowerCase(Locale.ROOT), source, w, n, one);
    }

    /** bf16 and int8 heads: from the model directory when present (head.bf16.bin, head.int8.bin), else converted. */
    private Variant variant(Path head, HeadDType dtype, List<AutoCloseable> open) throws IOException {
        String suffix = dtype.name().toLowerCase(Locale.ROOT);
        Path file = head.resolveSibling("head." + suffix + ".bin");
        String source = "model directory";
        if (!Files.exists(file)) {
            Files.createDirectories(settings.workDir());
            file = settings.workDir().resolve("head." + suffix + ".bin");
            HeadFile.convert(head, file, dtype);
            source = "converted from " + head.getFileName();
        }
        HeadWeights w = HeadFile.open(file);
        open.add(w);
        return variant(w, source, open);
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
            scratch = fused.scratchBytes(BATCH, (long) BATCH * BATCH_TOKENS);
            fused.maxLogits(batch, 1, BATCH_TOKENS, mask, out); // warm the fan-out path
            long before = HeapAllocation.allThreads();
            long t0 = System.nanoTime();
            fused.maxLogits(batch, BATCH, BATCH_TOKENS, mask, out);
            ms = (System.nanoTime() - t0) / 1e6;
            allocated = HeapAllocation.allThreads() - before;
        }
        long outBytes = 4L * BATCH * vocab;
        // The kernel keeps its tiles in registers: what it holds besides the output is its scratch
        // (the batch's real tokens regrouped for the tiles, fan-out bookkeeping). Allocation during
        // the call is measured too, as a cross-check (it counts the packed tokens' buffer growing
        // from the warm-up's one sequence to the batch, garbage, and before C2 has compiled the
        // kernel, boxed vectors).
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
