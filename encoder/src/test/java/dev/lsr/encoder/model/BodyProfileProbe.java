package dev.lsr.encoder.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.LengthBuckets;
import dev.lsr.encoder.onnx.IntegerProducts;
import dev.lsr.encoder.tokenize.TextTokenizer;
import java.io.*;
import java.nio.LongBuffer;
import java.nio.file.*;
import java.util.*;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Throwaway measurement harness (not a test): runs one body graph over the first N SciFact
 * abstracts cut at 256 tokens in length-sorted batches of 8 with ONNX Runtime's profiler on, and
 * prints kernel time per operator type; also writes Runtime's optimised graph and counts its ops.
 * args: body.onnx vocab.txt evalCount outDir [spin]; {@code -Dprobe.threads=N} (default 2) sets the
 * intra-op threads, {@code -Dprobe.adapt=true} opens the graph as the encoder does (rewritten for
 * this CPU's int8 products, {@link IntegerProducts#forThisMachine()}).
 */
public final class BodyProfileProbe {
    public static void main(String[] args) throws Exception {
        Path body = Path.of(args[0]);
        TextTokenizer tok = TextTokenizer.open(Path.of(args[1]), 256, true);
        int evalCount = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        boolean spin = args.length > 4 && args[4].equals("spin");
        Files.createDirectories(out);
        List<String> texts = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(Path.of("../shared/data/scifact/corpus.jsonl.gz")))))) {
            for (String line; (line = r.readLine()) != null && texts.size() < evalCount; ) {
                JsonNode n = om.readTree(line);
                texts.add(n.get("title").asString() + " " + n.get("text").asString());
            }
        }
        List<long[]> eval = new ArrayList<>();
        int[] lengths = new int[evalCount];
        for (int i = 0; i < evalCount; i++) {
            eval.add(tok.encode(texts.get(i)).ids());
            lengths[i] = eval.get(i).length;
        }
        int[][] batches = LengthBuckets.plan(lengths, 8);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path opt = out.resolve(body.getFileName().toString().replace(".onnx", "") + "-optimised.onnx");
        OrtSession s;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(Integer.getInteger("probe.threads", 2));
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
            o.addConfigEntry("session.inter_op.allow_spinning", "0");
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setOptimizedModelFilePath(opt.toString());
            o.enableProfiling(out.resolve("profile").toString());
            byte[] adapted = Boolean.getBoolean("probe.adapt") ? IntegerProducts.forThisMachine().sessionBytes(body) : null;
            s = adapted != null ? env.createSession(adapted, o) : env.createSession(body.toString(), o);
        }
        boolean types = s.getInputNames().contains("token_type_ids");
        long t0 = 0;
        long real = java.util.Arrays.stream(lengths).asLongStream().sum();
        System.out.printf("tokens per round: %d real, %d with padding%n", real, real + LengthBuckets.paddingSlots(lengths, batches));
        for (int round = 0; round < 2; round++) {
            if (round == 1) t0 = System.nanoTime();
            for (int[] batch : batches) {
                int t = 0;
                for (int i : batch) t = Math.max(t, eval.get(i).length);
                long[] ids = new long[batch.length * t];
                long[] mask = new long[batch.length * t];
                for (int b = 0; b < batch.length; b++) {
                    long[] x = eval.get(batch[b]);
                    for (int j = 0; j < x.length; j++) { ids[b * t + j] = x[j]; mask[b * t + j] = 1; }
                }
                long[] shape = {batch.length, t};
                Map<String, OnnxTensor> in = new HashMap<>();
                in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
                if (types) in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
                try (OrtSession.Result r = s.run(in)) { r.get(0); }
                in.values().forEach(OnnxTensor::close);
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        String prof = s.endProfiling();
        s.close();
        System.out.printf("%s: body docs/s %.3f (second round, profiler on)%n", body, evalCount / sec);
        JsonNode events = om.readTree(new File(prof));
        Map<String, Long> byOp = new TreeMap<>();
        long total = 0;
        for (JsonNode e : events) {
            if (!"Node".equals(e.path("cat").asString()) || !e.path("name").asString().endsWith("_kernel_time")) continue;
            String op = e.path("args").path("op_name").asString();
            long d = e.path("dur").asLong();
            byOp.merge(op, d, Long::sum);
            total += d;
        }
        List<Map.Entry<String, Long>> l = new ArrayList<>(byOp.entrySet());
        l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (var e : l) System.out.printf("  %-28s %6.2f%%  %.1f ms%n", e.getKey(), 100.0 * e.getValue() / total, e.getValue() / 1e3);
        dev.lsr.encoder.onnx.proto.ModelProto m;
        try (InputStream is = Files.newInputStream(opt)) { m = dev.lsr.encoder.onnx.proto.ModelProto.parseFrom(is); }
        Map<String, Integer> ops = new TreeMap<>();
        for (var n : m.getGraph().getNodeList()) ops.merge((n.getDomain().isEmpty() ? "" : n.getDomain() + ":") + n.getOpType(), 1, Integer::sum);
        System.out.println("optimised graph ops: " + ops);
    }
}
