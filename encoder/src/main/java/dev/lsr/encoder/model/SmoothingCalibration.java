package dev.lsr.encoder.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lsr.encoder.model.tf.BertCheckpoint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-channel activation maxima of every dense layer's input, measured by running the fp32 body
 * ({@link BertGraph#calibrationGraph}) on calibration text: what SmoothQuant needs to move
 * activation outliers into the weights. Each text runs alone (no padding rows in the maxima).
 */
final class SmoothingCalibration {

    private SmoothingCalibration() {}

    /**
     * @param texts token ids of each calibration text, [CLS] ... [SEP]
     * @return per key of {@link BertGraph#calibrationKeys} the max |x_j| over all texts and tokens
     */
    static Map<String, float[]> measure(BertCheckpoint ckpt, int heads, List<long[]> texts, int threads, ImportProgress progress)
            throws IOException {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("smoothing calibration needs at least one text");
        }
        Path graph = Files.createTempFile("lsr-calibration", ".onnx");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(graph), 1 << 20)) {
                BertGraph.calibrationGraph(ckpt, heads).writeTo(os);
            }
            return run(graph, BertGraph.calibrationKeys(ckpt), texts, threads, progress);
        } catch (OrtException e) {
            throw new IOException("smoothing calibration: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(graph);
        }
    }

    private static Map<String, float[]> run(Path graph, List<String> keys, List<long[]> texts, int threads, ImportProgress progress)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, float[]> max = new LinkedHashMap<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession session = env.createSession(graph.toString(), opts)) {
                int done = 0;
                for (long[] ids : texts) {
                    long[] shape = {1, ids.length};
                    long[] ones = new long[ids.length];
                    java.util.Arrays.fill(ones, 1);
                    Map<String, OnnxTensor> in = new HashMap<>();
                    try {
                        in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                        in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape));
                        in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
                        java.util.Set<String> wanted = new java.util.HashSet<>();
                        for (String k : keys) {
                            wanted.add(BertGraph.AMAX + k);
                        }
                        try (OrtSession.Result r = session.run(in, wanted)) {
                            for (String k : keys) {
                                FloatBuffer fb = ((OnnxTensor) r.get(BertGraph.AMAX + k).orElseThrow()).getFloatBuffer();
                                float[] m = max.computeIfAbsent(k, x -> new float[fb.remaining()]);
                                for (int j = 0; j < m.length; j++) {
                                    m[j] = Math.max(m[j], fb.get(j));
                                }
                            }
                        }
                    } finally {
                        in.values().forEach(OnnxTensor::close);
                    }
                    progress.update("calibrating smoothing", ++done, texts.size());
                }
            }
        }
        return max;
    }
}
