package dev.lsr.encoder.model;

import dev.lsr.encoder.LengthBuckets;
import dev.lsr.encoder.head.FusedHead;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.head.HeadWeights;
import dev.lsr.encoder.model.tf.BertCheckpoint;
import dev.lsr.encoder.onnx.OrtBody;
import dev.lsr.encoder.tokenize.TextTokenizer;
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Throwaway measurement harness (not a test): calibrates smoothing on SciFact abstracts, builds
 * sq8 bodies, times them batch by batch against fp32 and q8, prints raw cosine to fp32.
 * args: jar modelDir outDir calibFrom calibCount evalCount rounds variant...
 * variant: "a0.5:tok[:q8down]" or "a0.5:tensor".
 */
public final class SmoothQuantProbe {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path model = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int calibFrom = Integer.parseInt(args[3]);
        int calibCount = Integer.parseInt(args[4]);
        int evalCount = Integer.parseInt(args[5]);
        int rounds = Integer.parseInt(args[6]);
        List<String> variants = Arrays.asList(args).subList(7, args.length);
        List<String> texts = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(Path.of("../shared/data/scifact/corpus.jsonl.gz")))))) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = om.readTree(line);
                texts.add(n.get("title").asString() + " " + n.get("text").asString());
            }
        }
        TextTokenizer tok = TextTokenizer.open(model.resolve("vocab.txt"), 256, true);
        Path amaxFile = out.resolve("amax-" + calibFrom + "-" + calibCount + ".bin");
        BertCheckpoint ckpt = BertCheckpoint.read(jar, ImportProgress.NONE);
        Map<String, float[]> amax;
        if (Files.exists(amaxFile)) {
            amax = readMax(amaxFile);
        } else {
            List<long[]> calib = new ArrayList<>();
            for (int i = calibFrom; i < calibFrom + calibCount; i++) {
                calib.add(tok.encode(texts.get(i)).ids());
            }
            long t0 = System.nanoTime();
            amax = SmoothingCalibration.measure(ckpt, BertImporter.HEADS, calib, 2, ImportProgress.NONE);
            System.out.printf("calibration %d texts %.1f s%n", calibCount, (System.nanoTime() - t0) / 1e9);
            writeMax(amaxFile, amax);
        }
        for (var e : amax.entrySet()) {
            float[] m = e.getValue();
            float mx = 0, sum = 0;
            for (float v : m) { mx = Math.max(mx, v); sum += v; }
            if (e.getKey().contains("layer_0/") || e.getKey().contains("layer_11/")) {
                System.out.printf("amax %s max %.2f mean %.3f%n", e.getKey(), mx, sum / m.length);
            }
        }
        List<String> names = new ArrayList<>(List.of("fp32", "q8"));
        List<Path> files = new ArrayList<>(List.of(model.resolve("body.onnx"), model.resolve("query_body.onnx")));
        for (String v : variants) {
            String[] p = v.split(":");
            float alpha = Float.parseFloat(p[0].substring(1));
            boolean perToken = p[1].equals("tok");
            boolean q8down = Arrays.asList(p).contains("q8down");
            boolean fewer = Arrays.asList(p).contains("fewer");
            Path f = out.resolve("sq8-" + v.replace(':', '-') + "-" + calibCount + ".onnx");
            if (!Files.exists(f)) {
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
                    BertGraph.build(ckpt, BertImporter.HEADS, new BertGraph.Smoothing(amax, alpha, perToken, q8down, fewer), ImportProgress.NONE).writeTo(os);
                }
            }
            names.add(v);
            files.add(f);
        }
        ckpt = null;
        List<long[]> eval = new ArrayList<>();
        int[] lengths = new int[evalCount];
        for (int i = 0; i < evalCount; i++) {
            eval.add(tok.encode(texts.get(i)).ids());
            lengths[i] = eval.get(i).length;
        }
        int[][] batches = LengthBuckets.plan(lengths, 8);
        List<OrtBody> bodies = new ArrayList<>();
        for (Path f : files) bodies.add(new OrtBody(f, 2));
        HeadWeights hw = HeadFile.open(model.resolve("head.bin"));
        FusedHead head = new FusedHead(hw, 2);
        int vocab = hw.vocab();
        int nv = names.size();
        double[] seconds = new double[nv];
        float[][][] vecs = new float[nv][evalCount][];
        for (int round = 0; round <= rounds; round++) {
            for (int[] batch : batches) {
                int t = 0;
                for (int i : batch) t = Math.max(t, eval.get(i).length);
                long[] ids = new long[batch.length * t];
                long[] mask = new long[batch.length * t];
                int[] imask = new int[batch.length * t];
                for (int b = 0; b < batch.length; b++) {
                    long[] x = eval.get(batch[b]);
                    for (int j = 0; j < x.length; j++) { ids[b * t + j] = x[j]; mask[b * t + j] = 1; imask[b * t + j] = 1; }
                }
                for (int v = 0; v < nv; v++) {
                    long t0 = System.nanoTime();
                    float[] h = bodies.get(v).run(ids, mask, batch.length, t);
                    if (round > 0) seconds[v] += (System.nanoTime() - t0) / 1e9;
                    if (round == 0) {
                        float[] o = new float[batch.length * vocab];
                        head.maxLogits(h, batch.length, t, imask, o);
                        FusedHead.log1pRelu(o, 0, o.length);
                        for (int b = 0; b < batch.length; b++) vecs[v][batch[b]] = Arrays.copyOfRange(o, b * vocab, (b + 1) * vocab);
                    }
                }
            }
        }
        for (int v = 0; v < nv; v++) {
            double min = 1, sum = 0;
            for (int i = 0; i < evalCount; i++) {
                double c = cos(vecs[v][i], vecs[0][i]);
                min = Math.min(min, c); sum += c;
            }
            double dps = rounds * evalCount / seconds[v];
            System.out.printf("%-22s body docs/s %.3f (%.2fx fp32, %.2fx q8)  raw cosine min %.6f mean %.6f%n", names.get(v), dps,
                    seconds[0] / seconds[v], seconds[1] / seconds[v], min, sum / evalCount);
        }
        for (OrtBody b : bodies) b.close();
        head.close();
    }

    static double cos(float[] a, float[] b) {
        double d = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return d / Math.sqrt(na * nb);
    }

    static void writeMax(Path f, Map<String, float[]> m) throws IOException {
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f)))) {
            o.writeInt(m.size());
            for (var e : m.entrySet()) { o.writeUTF(e.getKey()); o.writeInt(e.getValue().length); for (float v : e.getValue()) o.writeFloat(v); }
        }
    }

    static Map<String, float[]> readMax(Path f) throws IOException {
        Map<String, float[]> m = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) { String k = in.readUTF(); float[] v = new float[in.readInt()]; for (int j = 0; j < v.length; j++) v[j] = in.readFloat(); m.put(k, v); }
        }
        return m;
    }
}
