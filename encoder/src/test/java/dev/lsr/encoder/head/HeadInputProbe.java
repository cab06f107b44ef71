package dev.lsr.encoder.head;

import dev.lsr.encoder.onnx.OrtBody;
import dev.lsr.encoder.tokenize.TextTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Measurement harness (not a test): the fused head at T=256, one thread, on the hidden states of a
 * real SciFact abstract (the body's output, as {@code lsr bench encoder}'s full run feeds it) and on
 * synthetic Gaussian rows (as {@code --head-only} feeds it), fp32 and int8 timed round-robin.
 * args: modelDir reps
 */
public final class HeadInputProbe {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int reps = Integer.parseInt(args[1]);
        ObjectMapper om = new ObjectMapper();
        String longest = null;
        int longestLen = 0;
        float[] real;
        try (TextTokenizer tok = TextTokenizer.open(model.resolve("vocab.txt"), 256, true);
                BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                        Files.newInputStream(Path.of("../shared/data/scifact/corpus.jsonl.gz")))))) {
            for (int i = 0; i < 64; i++) {
                JsonNode n = om.readTree(r.readLine());
                String t = n.get("title").asString() + " " + n.get("text").asString();
                int len = tok.encode(t).length();
                if (len > longestLen) {
                    longestLen = len;
                    longest = t;
                }
            }
            long[] ids = tok.encode(longest).ids();
            long[] mask = new long[ids.length];
            Arrays.fill(mask, 1);
            try (OrtBody body = new OrtBody(model.resolve("body.onnx"), 2)) {
                real = body.run(ids, mask, 1, ids.length);
            }
        }
        int h = 768;
        int rows = real.length / h;
        float[] x = new float[256 * h];
        for (int t = 0; t < 256; t++) {
            System.arraycopy(real, (t % rows) * h, x, t * h, h);
        }
        float[] g = new float[256 * h];
        Random rnd = new Random(3);
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rnd.nextGaussian();
        }
        int denormal = 0, zero = 0;
        float min = Float.MAX_VALUE, maxAbs = 0;
        for (float v : x) {
            if (v == 0) zero++;
            else if (Math.abs(v) < Float.MIN_NORMAL) denormal++;
            min = Math.min(min, Math.abs(v));
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        System.out.printf("real hidden states: %d rows (of %d tokens), zeros %d, subnormals %d, min |x| %g, max |x| %g%n", 256, rows, zero,
                denormal, min, maxAbs);
        Path int8 = Files.createTempFile("head-int8", ".bin");
        HeadFile.convert(model.resolve("head.bin"), int8, HeadDType.INT8);
        int[] mask = new int[256];
        Arrays.fill(mask, 1);
        try (HeadWeights wf = HeadFile.open(model.resolve("head.bin")); HeadWeights wi = HeadFile.open(int8);
                FusedHead f = new FusedHead(wf, 1); FusedHead q = new FusedHead(wi, 1)) {
            float[] out = new float[wf.vocab()];
            FusedHead[] heads = {f, q, f, q};
            float[][] inputs = {x, x, g, g};
            String[] names = {"fp32 real", "int8 real", "fp32 gaussian", "int8 gaussian"};
            double[][] ms = new double[4][reps];
            for (int rep = -3; rep < reps; rep++) {
                for (int v = 0; v < 4; v++) {
                    long t0 = System.nanoTime();
                    heads[v].maxLogits(inputs[v], 1, 256, mask, out);
                    if (rep >= 0) ms[v][rep] = (System.nanoTime() - t0) / 1e6;
                }
            }
            for (int v = 0; v < 4; v++) {
                Arrays.sort(ms[v]);
                System.out.printf("%-14s median %.1f ms (min %.1f)%n", names[v], ms[v][reps / 2], ms[v][0]);
            }
        } finally {
            Files.deleteIfExists(int8);
        }
    }
}
