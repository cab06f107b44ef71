package dev.lsr.encoder.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.LengthBuckets;
import dev.lsr.encoder.head.FusedHead;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.head.HeadWeights;
import dev.lsr.encoder.onnx.GraphBuilder;
import dev.lsr.encoder.onnx.GraphBuilder.Attr;
import dev.lsr.encoder.onnx.OrtBody;
import dev.lsr.encoder.onnx.proto.TensorProto;
import dev.lsr.encoder.tokenize.TextTokenizer;
import java.io.*;
import java.nio.FloatBuffer;
import java.nio.file.*;
import java.util.*;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Throwaway measurement harness (not a test): the vocabulary projection + max over tokens as an
 * int8 ONNX Runtime graph (VNNI) against the fused fp32 head, on hidden states of real SciFact
 * abstracts (<= 256 tokens) from a body, one document per call; prints time per document and the
 * cosine of log1p(relu) vectors to the fused fp32 head's.
 * args: modelDir(body.onnx, head.bin, vocab.txt) evalCount calibCount reps variant...  variant: tensor|tok[:aX]
 */
public final class HeadOrtProbe {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int evalCount = Integer.parseInt(args[1]);
        int calibCount = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        List<String> variants = Arrays.asList(args).subList(4, args.length);
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
        OrtBody body = new OrtBody(model.resolve("body.onnx"), 2);
        List<float[]> eval = hidden(body, tok, texts.subList(0, evalCount));
        List<float[]> calib = hidden(body, tok, texts.subList(texts.size() - calibCount, texts.size()));
        body.close();
        HeadWeights hw = HeadFile.open(model.resolve("head.bin"));
        int V = hw.vocab(), H = hw.hidden();
        float[] w = hw.dequantise();
        float[] bias = hw.bias();
        float[] wt = new float[H * V];
        for (int v = 0; v < V; v++) for (int k = 0; k < H; k++) wt[k * V + v] = w[v * H + k];
        w = null;
        float[] amax = new float[H];
        for (float[] h : calib) for (int i = 0; i < h.length; i++) amax[i % H] = Math.max(amax[i % H], Math.abs(h[i]));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OrtSession> sessions = new ArrayList<>();
        for (String var : variants) {
            String[] p = var.split(":");
            float alpha = p.length > 1 ? Float.parseFloat(p[1].substring(1)) : 0f;
            float[] s = alpha > 0 ? BertGraph.smoothingFactors(amax, wt, H, V, alpha) : ones(H);
            GraphBuilder g = new GraphBuilder("head");
            String x = g.input("hidden", TensorProto.DataType.FLOAT_VALUE, "tokens", H);
            float[] scaled = new float[wt.length];
            for (int k = 0; k < H; k++) for (int v = 0; v < V; v++) scaled[k * V + v] = wt[k * V + v] * s[k];
            BertGraph.Int8Weights q = BertGraph.quantiseInt8PerColumn(scaled, H, V);
            scaled = null;
            String wq = g.initializerBytes("wq", TensorProto.DataType.INT8_VALUE, q.values(), H, V);
            String ws = g.initializer("ws", q.scales(), V);
            String b = g.initializer("bias", bias, V);
            float[] inv = new float[H];
            for (int k = 0; k < H; k++) inv[k] = 1f / s[k];
            String xs = alpha > 0 ? g.node("Mul", x, g.initializer("inv", inv, H)) : x;
            String out;
            if (p[0].equals("tensor")) {
                String y = g.msNode("DynamicQuantizeMatMul", List.of(xs, wq, ws, "", b));
                out = g.node("ReduceMax", List.of(y), Attr.ints("axes", 0), Attr.i("keepdims", 0));
            } else {
                String am = g.node("ReduceMax", List.of(g.node("Abs", xs)), Attr.ints("axes", -1), Attr.i("keepdims", 1));
                String step = g.node("Max", g.node("Mul", am, g.scalar(1f / 127)), g.scalar(1e-12f));
                String zp = g.initializerBytes("zp", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) 128});
                String q8 = g.node("QuantizeLinear", g.node("Div", xs, step), g.scalar(1f), zp);
                String y = g.msNode("MatMulIntegerToFloat", List.of(q8, wq, step, ws, zp));
                out = g.node("Add", g.node("ReduceMax", List.of(y), Attr.ints("axes", 0), Attr.i("keepdims", 0)), b);
            }
            g.node("Identity", List.of(out), List.of("max_logits"));
            g.output("max_logits", TensorProto.DataType.FLOAT_VALUE, V);
            byte[] bytes = g.build().toByteArray();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(2);
                o.setInterOpNumThreads(1);
                o.addConfigEntry("session.intra_op.allow_spinning", "0");
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                sessions.add(env.createSession(bytes, o));
            }
        }
        FusedHead fused = new FusedHead(hw, 2);
        int nv = variants.size();
        double fusedSec = 0;
        double[] sec = new double[nv];
        double[] minCos = new double[nv], sumCos = new double[nv];
        Arrays.fill(minCos, 1);
        long tokens = 0;
        for (int rep = 0; rep <= reps; rep++) {
            for (float[] h : eval) {
                int t = h.length / H;
                if (rep > 0) tokens += t;
                int[] mask = new int[t];
                Arrays.fill(mask, 1);
                float[] ref = new float[V];
                long t0 = System.nanoTime();
                fused.maxLogits(h, 1, t, mask, ref);
                if (rep > 0) fusedSec += (System.nanoTime() - t0) / 1e9;
                FusedHead.log1pRelu(ref, 0, V);
                for (int v = 0; v < nv; v++) {
                    t0 = System.nanoTime();
                    float[] o;
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(h), new long[] {t, H});
                         OrtSession.Result r = sessions.get(v).run(Map.of("hidden", in))) {
                        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                        o = new float[fb.remaining()];
                        fb.get(o);
                    }
                    if (rep > 0) sec[v] += (System.nanoTime() - t0) / 1e9;
                    if (rep == 0) {
                        FusedHead.log1pRelu(o, 0, V);
                        double c = SmoothQuantProbe.cos(o, ref);
                        minCos[v] = Math.min(minCos[v], c);
                        sumCos[v] += c;
                    }
                }
            }
        }
        int n = reps * eval.size();
        System.out.printf("mean tokens %.1f; fused fp32 head %.2f ms/doc%n", tokens / (double) n, 1e3 * fusedSec / n);
        for (int v = 0; v < nv; v++) {
            System.out.printf("%-12s %.2f ms/doc (%.2fx fused fp32)  cosine min %.6f mean %.6f%n", variants.get(v), 1e3 * sec[v] / n,
                    fusedSec / sec[v], minCos[v], sumCos[v] / eval.size());
        }
        fused.close();
    }

    static float[] ones(int n) {
        float[] o = new float[n];
        Arrays.fill(o, 1f);
        return o;
    }

    /** Hidden states of each text's real tokens ([t * hidden]), run in length-sorted batches of 8. */
    static List<float[]> hidden(OrtBody body, TextTokenizer tok, List<String> texts) throws Exception {
        int n = texts.size();
        List<long[]> ids = new ArrayList<>();
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) { ids.add(tok.encode(texts.get(i)).ids()); lengths[i] = ids.get(i).length; }
        float[][] out = new float[n][];
        for (int[] batch : LengthBuckets.plan(lengths, 8)) {
            int t = 0;
            for (int i : batch) t = Math.max(t, lengths[i]);
            long[] a = new long[batch.length * t], m = new long[batch.length * t];
            for (int b = 0; b < batch.length; b++) {
                long[] x = ids.get(batch[b]);
                for (int j = 0; j < x.length; j++) { a[b * t + j] = x[j]; m[b * t + j] = 1; }
            }
            float[] h = body.run(a, m, batch.length, t);
            int hid = h.length / (batch.length * t);
            for (int b = 0; b < batch.length; b++) out[batch[b]] = Arrays.copyOfRange(h, b * t * hid, (b * t + lengths[batch[b]]) * hid);
        }
        return Arrays.asList(out);
    }
}
