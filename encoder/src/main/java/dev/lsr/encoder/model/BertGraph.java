package dev.lsr.encoder.model;

import dev.lsr.encoder.model.tf.BertCheckpoint;
import dev.lsr.encoder.onnx.GraphBuilder;
import dev.lsr.encoder.onnx.GraphBuilder.Attr;
import dev.lsr.encoder.onnx.IntegerProducts;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import java.util.List;
import java.util.Map;

/**
 * Builds the BERT encoder plus the masked-LM transform (dense, tanh-GELU, LayerNorm) as an ONNX graph
 * from checkpoint variables: inputs {@code input_ids, attention_mask, token_type_ids}, output
 * {@code hidden [batch, tokens, hidden]}. The vocabulary projection is not part of it (it goes to head.bin).
 *
 * <p>Two forms of the same network. {@link Ops#FUSED} (the fp32 default) writes each layer with
 * ONNX Runtime's contrib operators — {@code Attention} (one QKV projection, masked softmax),
 * {@code SkipLayerNormalization} (residual + bias + LayerNorm), {@code FastGelu} (bias + tanh-GELU)
 * — because Runtime's own optimizer recognises none of these patterns in a hand-built graph
 * and a short query otherwise spends its time in ~470 small kernels. {@link Ops#STANDARD} spells
 * everything in plain ONNX operators: it is the reference the fused form is tested against;
 * {@link Ops#STANDARD_INT8} (the int8 body) is that form with dynamic-quantised dense layers. {@link Ops#FUSED_Q8} (the q8 body) is the fused form with
 * every dense layer as {@code MatMulNBits} (8-bit weights, one symmetric scale per block of 32 input
 * rows of each output column, int8 compute) and {@code MultiHeadAttention} as the attention core,
 * since {@code Attention} takes fp32 weights only.
 */
final class BertGraph {

    static final String PREFIX = "module/bert/";
    static final float LN_EPS = 1e-12f;
    private static final int F = TensorProto.DataType.FLOAT_VALUE;
    private static final int I64 = TensorProto.DataType.INT64_VALUE;
    private static final int I32 = TensorProto.DataType.INT32_VALUE;

    /** Which operators a layer is written with (see the class comment). */
    enum Ops {
        STANDARD,
        STANDARD_INT8,
        FUSED,
        FUSED_Q8,
        /** Fused, every dense layer int8 x int8 (VNNI) after SmoothQuant-style per-channel smoothing; needs a {@link Smoothing}. */
        FUSED_SQ8;

        /** Plain ONNX operators (an additive attention bias instead of a mask input). */
        boolean standard() {
            return this == STANDARD || this == STANDARD_INT8;
        }

        /** The form of a body dtype: fp32 is the fused form, int8 the standard one, q8 the fused 8-bit one. */
        static Ops forBodyDtype(String dtype) {
            return switch (dtype) {
                case "fp32" -> FUSED;
                case "int8" -> STANDARD_INT8;
                case "q8" -> FUSED_Q8;
                case "sq8" -> FUSED_SQ8;
                default -> throw new IllegalArgumentException("body dtype " + dtype + ": expected fp32, int8, q8 or sq8");
            };
        }
    }

    /** MatMulNBits block size along K (the input dimension) and bits per weight. */
    static final int Q8_BLOCK = 32;
    static final int Q8_BITS = 8;
    /** MatMulNBits accuracy_level 4: int8 compute with blockwise-quantised activations. */
    static final int Q8_ACCURACY_LEVEL = 4;

    /**
     * How a {@link Ops#FUSED_SQ8} body is smoothed and quantised.
     *
     * @param activationMax per dense layer (keyed by {@link #calibrationKeys}) the largest |x_j| of
     *     each input channel j seen on calibration text ({@link SmoothingCalibration})
     * @param alpha migration strength: {@code s_j = max|x_j|^alpha / max|w_j|^(1 - alpha)}
     * @param perToken one activation scale per token (else one per call, {@code DynamicQuantizeMatMul})
     * @param ffnDownQ8 keep the FFN output dense (GELU input, 3072 wide) as q8 MatMulNBits
     * @param fewerPasses per-token activations in fewer elementwise passes ({@link #sq8Quantise}):
     *     the step goes into a per-row QuantizeLinear and into MatMulIntegerToFloat's A scale (no Div,
     *     no Mul after the product), and Q, K and V are three products of one quantised input (no
     *     Split); false: the reference form ({@code Div}, {@code QuantizeLinear} with scale 1, {@code
     *     Mul} by the step, one QKV product split in three), the same arithmetic
     */
    record Smoothing(Map<String, float[]> activationMax, float alpha, boolean perToken, boolean ffnDownQ8, boolean fewerPasses) {

        /** The per-token form the import writes: a = {@link BertImporter#SQ8_ALPHA}. */
        Smoothing(Map<String, float[]> activationMax, float alpha, boolean perToken, boolean ffnDownQ8) {
            this(activationMax, alpha, perToken, ffnDownQ8, false);
        }
    }

    private final BertCheckpoint ckpt;
    private final GraphBuilder g = new GraphBuilder("bert-mlm-body");
    private final int hidden;
    private final int heads;
    private final Ops ops;
    private final Smoothing smoothing;
    private final boolean calibrationOutputs;
    private String half;
    private String one;

    private BertGraph(BertCheckpoint ckpt, int heads, Ops ops, Smoothing smoothing, boolean calibrationOutputs)
            throws ModelFormatException {
        if ((ops == Ops.FUSED_SQ8) != (smoothing != null)) {
            throw new IllegalArgumentException("a smoothing goes with " + Ops.FUSED_SQ8 + " and only with it");
        }
        this.ckpt = ckpt;
        this.ops = ops;
        this.smoothing = smoothing;
        this.calibrationOutputs = calibrationOutputs;
        this.hidden = (int) ckpt.shape(PREFIX + "embeddings/word_embeddings")[1];
        this.heads = heads;
    }

    static int layers(BertCheckpoint ckpt) {
        int n = 0;
        while (ckpt.variables().containsKey(PREFIX + "encoder/layer_" + n + "/attention/self/query/kernel")) {
            n++;
        }
        return n;
    }

    static ModelProto build(BertCheckpoint ckpt, int heads, Ops ops, ImportProgress progress) throws ModelFormatException {
        return new BertGraph(ckpt, heads, ops, null, false).graph(progress);
    }

    /** The smoothed int8 body ({@link Ops#FUSED_SQ8}). */
    static ModelProto build(BertCheckpoint ckpt, int heads, Smoothing smoothing, ImportProgress progress) throws ModelFormatException {
        return buildWithHints(ckpt, heads, smoothing, progress).model();
    }

    /** The smoothed int8 body and the rounding hints of its int8 weights (for CPUs that run them in 7 bits). */
    static BodyGraph buildWithHints(BertCheckpoint ckpt, int heads, Smoothing smoothing, ImportProgress progress)
            throws ModelFormatException {
        BertGraph b = new BertGraph(ckpt, heads, Ops.FUSED_SQ8, smoothing, false);
        ModelProto m = b.graph(progress);
        return new BodyGraph(m, b.g.roundingHints());
    }

    /**
     * The fp32 fused body with one extra output per dense layer, {@code amax/<key>}: max |x_j| over
     * batch and tokens of each input channel of that layer's input (keys: {@link #calibrationKeys}).
     */
    static ModelProto calibrationGraph(BertCheckpoint ckpt, int heads) throws ModelFormatException {
        return new BertGraph(ckpt, heads, Ops.FUSED, null, true).graph(ImportProgress.NONE);
    }

    /** The dense layers whose inputs {@link #calibrationGraph} measures, in graph order. */
    static List<String> calibrationKeys(BertCheckpoint ckpt) {
        List<String> keys = new java.util.ArrayList<>();
        for (int l = 0; l < layers(ckpt); l++) {
            String p = PREFIX + "encoder/layer_" + l + "/";
            keys.add(p + "attention/self/qkv/kernel");
            keys.add(p + "attention/output/dense/kernel");
            keys.add(p + "intermediate/dense/kernel");
            keys.add(p + "output/dense/kernel");
        }
        keys.add(TRANSFORM + "dense/kernel");
        return keys;
    }

    static final String TRANSFORM = "module/cls/predictions/transform/";
    static final String AMAX = "amax/";

    private String w(String name) throws ModelFormatException {
        return g.initializerRaw(name, ckpt.bytes(name), ckpt.shape(name));
    }

    private ModelProto graph(ImportProgress progress) throws ModelFormatException {
        int layers = layers(ckpt);
        if (layers == 0) {
            throw new ModelFormatException("checkpoint has no encoder layers (" + PREFIX + "encoder/layer_0/...)");
        }
        if (hidden % heads != 0) {
            throw new ModelFormatException("hidden size " + hidden + " is not a multiple of " + heads + " heads");
        }
        String ids = g.input("input_ids", I64, "batch", "tokens");
        String mask = g.input("attention_mask", I64, "batch", "tokens");
        String types = g.input("token_type_ids", I64, "batch", "tokens");
        if (ops.standard()) {
            half = g.scalar(0.5f);
            one = g.scalar(1f);
        }

        // Embeddings: word + position + token type, then LayerNorm.
        String e = PREFIX + "embeddings/";
        String word = g.node("Gather", w(e + "word_embeddings"), ids);
        String tokens = g.node("Gather", List.of(g.node("Shape", ids), g.longs(1)));
        String positions = g.node("Range", List.of(g.initializerLongs("pos_start", new long[] {0}), g.node("Squeeze", tokens, g.longs(0)),
                g.initializerLongs("pos_step", new long[] {1})));
        String pos = g.node("Gather", w(e + "position_embeddings"), positions);
        String type = g.node("Gather", w(e + "token_type_embeddings"), types);
        String x = layerNorm(g.node("Add", g.node("Add", word, pos), type), e + "LayerNorm/");

        String attentionMask;
        if (!ops.standard()) {
            // Attention (and MultiHeadAttention as key_padding_mask) takes the raw [batch, tokens] mask as int32 and adds mask_filter_value to padding.
            attentionMask = g.node("Cast", List.of(mask), Attr.i("to", I32));
        } else {
            // Additive attention bias: 0 for real tokens, -10000 for padding, shaped [batch, 1, 1, tokens].
            String m = g.node("Cast", List.of(mask), Attr.i("to", F));
            String bias = g.node("Mul", g.node("Sub", one, m), g.scalar(-10000f));
            attentionMask = g.node("Unsqueeze", bias, g.longs(1, 2));
        }

        for (int l = 0; l < layers; l++) {
            String p = PREFIX + "encoder/layer_" + l + "/";
            x = switch (ops) {
                case FUSED -> fusedLayer(x, attentionMask, p);
                case FUSED_Q8 -> q8Layer(x, attentionMask, p);
                case FUSED_SQ8 -> sq8Layer(x, attentionMask, p);
                case STANDARD, STANDARD_INT8 -> layer(x, attentionMask, p);
            };
            progress.update("building graph", l + 1, layers);
        }
        // The masked-LM transform.
        String c = TRANSFORM;
        String t = switch (ops) {
            case FUSED -> g.msNode("FastGelu", List.of(fp32MatMul(observe(x, c + "dense/kernel"), c + "dense/kernel"), w(c + "dense/bias")));
            case FUSED_Q8 -> g.msNode("FastGelu", List.of(q8MatMul(x, c + "dense/kernel"), w(c + "dense/bias")));
            case FUSED_SQ8 -> g.msNode("FastGelu", List.of(sq8MatMul(x, c + "dense/kernel", null), w(c + "dense/bias")));
            case STANDARD, STANDARD_INT8 -> gelu(dense(x, c + "dense/"));
        };
        String out = layerNorm(t, c + "LayerNorm/");
        g.node("Identity", List.of(out), List.of(ProjectionCut.HIDDEN));
        g.output(ProjectionCut.HIDDEN, F, "batch", "tokens", hidden);
        return g.build();
    }

    private String dense(String x, String prefix) throws ModelFormatException {
        // The FFN's second dense layer (input: 3072 GELU outputs with heavy outliers) and the MLM
        // transform stay fp32: quantising their inputs costs most of the accuracy for little speed.
        boolean quantise = ops == Ops.STANDARD_INT8 && (prefix.contains("/attention/") || prefix.contains("/intermediate/"));
        if (!quantise) {
            return g.node("Add", g.node("MatMul", x, w(prefix + "kernel")), w(prefix + "bias"));
        }
        // Dynamic quantisation: activations to uint8 per call, weights to int8 with one scale per
        // output column (symmetric, zero point 0); the int32 product is rescaled by both scales.
        long[] shape = ckpt.shape(prefix + "kernel");
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        Int8Weights q = quantiseInt8PerColumn(ckpt.floats(prefix + "kernel"), rows, cols);
        String wq = g.initializerBytes(prefix + "kernel_int8", TensorProto.DataType.INT8_VALUE, q.values(), rows, cols);
        String ws = g.initializer(prefix + "kernel_scale", q.scales(), cols);
        String xq = prefix + "input_q";
        String xs = prefix + "input_scale";
        String xz = prefix + "input_zp";
        g.node("DynamicQuantizeLinear", List.of(x), List.of(xq, xs, xz));
        String acc = g.node("MatMulInteger", xq, wq, xz);
        String y = g.node("Mul", g.node("Cast", List.of(acc), Attr.i("to", F)), g.node("Mul", xs, ws));
        return g.node("Add", y, w(prefix + "bias"));
    }

    private String layerNorm(String x, String prefix) throws ModelFormatException {
        return g.node("LayerNormalization", List.of(x, w(prefix + "gamma"), w(prefix + "beta")),
                Attr.i("axis", -1), Attr.f("epsilon", LN_EPS));
    }

    /** tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private String gelu(String x) {
        String x3 = g.node("Mul", g.node("Mul", x, x), x);
        String inner = g.node("Mul", g.node("Add", x, g.node("Mul", x3, g.scalar(0.044715f))),
                g.scalar((float) Math.sqrt(2 / Math.PI)));
        return g.node("Mul", g.node("Mul", x, half), g.node("Add", g.node("Tanh", inner), one));
    }

    private String heads(String x, long... perm) {
        String r = g.node("Reshape", x, g.longs(0, 0, heads, hidden / heads));
        return g.node("Transpose", List.of(r), Attr.ints("perm", perm));
    }

    private String layer(String x, String bias, String p) throws ModelFormatException {
        String a = p + "attention/";
        String q = heads(dense(x, a + "self/query/"), 0, 2, 1, 3);       // [b, h, t, d]
        String k = heads(dense(x, a + "self/key/"), 0, 2, 3, 1);         // [b, h, d, t]
        String v = heads(dense(x, a + "self/value/"), 0, 2, 1, 3);       // [b, h, t, d]
        String scores = g.node("Add", g.node("Mul", g.node("MatMul", q, k), g.scalar((float) (1 / Math.sqrt(hidden / heads)))), bias);
        String probs = g.node("Softmax", List.of(scores), Attr.i("axis", -1));
        String ctx = g.node("Transpose", List.of(g.node("MatMul", probs, v)), Attr.ints("perm", 0, 2, 1, 3));
        ctx = g.node("Reshape", ctx, g.longs(0, 0, hidden));
        String att = layerNorm(g.node("Add", dense(ctx, a + "output/dense/"), x), a + "output/LayerNorm/");
        String inter = gelu(dense(att, p + "intermediate/dense/"));
        return layerNorm(g.node("Add", dense(inter, p + "output/dense/"), att), p + "output/LayerNorm/");
    }

    /** {@link #layer} with contrib operators: 4 MatMuls (QKV inside Attention) and 4 fused nodes. */
    private String fusedLayer(String x, String mask32, String p) throws ModelFormatException {
        String a = p + "attention/";
        String ctx = g.msNode("Attention", List.of(observe(x, a + "self/qkv/kernel"), qkv(a + "self/", "kernel"), qkv(a + "self/", "bias"), mask32),
                Attr.i("num_heads", heads), Attr.f("mask_filter_value", -10000f));
        String att = skipLayerNorm(fp32MatMul(observe(ctx, a + "output/dense/kernel"), a + "output/dense/kernel"), x, a + "output/dense/",
                a + "output/LayerNorm/");
        String inter = g.msNode("FastGelu", List.of(fp32MatMul(observe(att, p + "intermediate/dense/kernel"), p + "intermediate/dense/kernel"),
                w(p + "intermediate/dense/bias")));
        return skipLayerNorm(fp32MatMul(observe(inter, p + "output/dense/kernel"), p + "output/dense/kernel"), att, p + "output/dense/",
                p + "output/LayerNorm/");
    }

    /** In the calibration graph, adds output {@code amax/<key>} = max |x| per channel over batch and tokens; returns x. */
    private String observe(String x, String key) throws ModelFormatException {
        if (calibrationOutputs) {
            String out = AMAX + key;
            g.node("ReduceMax", List.of(g.node("Abs", x)), List.of(out), Attr.ints("axes", 0, 1), Attr.i("keepdims", 0));
            g.output(out, F, "channels");
        }
        return x;
    }

    private String fp32MatMul(String x, String kernel) throws ModelFormatException {
        return g.node("MatMul", x, w(kernel));
    }

    /** LayerNorm(projected + dense's bias + skip) as SkipLayerNormalization; {@code projected} is x . dense's kernel. */
    private String skipLayerNorm(String projected, String skip, String dense, String ln) throws ModelFormatException {
        return g.msNode("SkipLayerNormalization", List.of(projected, skip, w(ln + "gamma"), w(ln + "beta"), w(dense + "bias")),
                Attr.f("epsilon", LN_EPS));
    }

    /** The query, key and value {@code kernel [hidden x hidden]} (or {@code bias [hidden]}) side by side: [hidden x 3 hidden]. */
    private String qkv(String self, String what) throws ModelFormatException {
        float[] out = qkvFloats(self, what);
        int cols = hidden;
        int rows = out.length / (3 * cols);
        String name = self + "qkv/" + what;
        return what.equals("bias") ? g.initializer(name, out, 3L * cols) : g.initializer(name, out, rows, 3L * cols);
    }

    private float[] qkvFloats(String self, String what) throws ModelFormatException {
        float[][] parts = {ckpt.floats(self + "query/" + what), ckpt.floats(self + "key/" + what), ckpt.floats(self + "value/" + what)};
        int cols = hidden;
        int rows = parts[0].length / cols;
        float[] out = new float[rows * 3 * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 3; j++) {
                System.arraycopy(parts[j], r * cols, out, (r * 3 + j) * cols, cols);
            }
        }
        return out;
    }

    /**
     * {@link #fusedLayer} with 8-bit dense layers: one MatMulNBits for Q, K and V side by side, split
     * into three for MultiHeadAttention (which adds the QKV bias and masks padded keys; its CPU kernel
     * has no packed-QKV form), then MatMulNBits into SkipLayerNormalization / FastGelu as before.
     */
    private String q8Layer(String x, String mask32, String p) throws ModelFormatException {
        String a = p + "attention/";
        String self = a + "self/";
        String qkv = q8MatMul(g, x, self + "qkv/kernel", qkvFloats(self, "kernel"), hidden, 3 * hidden);
        List<String> parts = List.of(qkv + "_q", qkv + "_k", qkv + "_v");
        g.node("Split", List.of(qkv), parts, Attr.i("axis", -1));
        String bias = g.initializer(self + "qkv/bias", qkvFloats(self, "bias"), 3L * hidden);
        String ctx = g.msNode("MultiHeadAttention", List.of(parts.get(0), parts.get(1), parts.get(2), bias, mask32),
                Attr.i("num_heads", heads), Attr.f("mask_filter_value", -10000f));
        String att = skipLayerNorm(q8MatMul(ctx, a + "output/dense/kernel"), x, a + "output/dense/", a + "output/LayerNorm/");
        String inter = g.msNode("FastGelu", List.of(q8MatMul(att, p + "intermediate/dense/kernel"), w(p + "intermediate/dense/bias")));
        return skipLayerNorm(q8MatMul(inter, p + "output/dense/kernel"), att, p + "output/dense/", p + "output/LayerNorm/");
    }

    private String q8MatMul(String x, String kernel) throws ModelFormatException {
        long[] shape = ckpt.shape(kernel);
        return q8MatMul(g, x, kernel, ckpt.floats(kernel), (int) shape[0], (int) shape[1]);
    }

    /** {@code x . kernel} for a TF kernel {@code [k = in][n = out]} (row-major) as an 8-bit MatMulNBits. */
    static String q8MatMul(GraphBuilder g, String x, String name, float[] kernel, int k, int n) {
        Q8Weights q = quantiseQ8(kernel, k, n);
        String b = g.initializerBytes(name + "_q8", TensorProto.DataType.UINT8_VALUE, q.blocks(), n, q.blocksPerColumn(), Q8_BLOCK);
        String s = g.initializer(name + "_q8_scale", q.scales(), (long) n * q.blocksPerColumn());
        return g.msNode("MatMulNBits", List.of(x, b, s), Attr.i("K", k), Attr.i("N", n), Attr.i("bits", Q8_BITS),
                Attr.i("block_size", Q8_BLOCK), Attr.i("accuracy_level", Q8_ACCURACY_LEVEL));
    }

    /**
     * {@link #q8Layer} with smoothed int8 dense layers. The attention output dense's smoothing is
     * folded into the V columns of the QKV projection (attention output channel j is a convex
     * combination of V's channel j, so scaling V's column j scales it exactly); the other layers'
     * inputs also feed a residual (BERT is post-LN), so their 1/s is an explicit Mul.
     */
    private String sq8Layer(String x, String mask32, String p) throws ModelFormatException {
        String a = p + "attention/";
        String self = a + "self/";
        String outKey = a + "output/dense/kernel";
        float[] wo = ckpt.floats(outKey);
        float[] so = smoothingFactors(outKey, wo, hidden, hidden);
        float[] qkvKernel = qkvFloats(self, "kernel");
        float[] qkvBias = qkvFloats(self, "bias");
        for (int r = 0; r < hidden; r++) {
            for (int j = 0; j < hidden; j++) {
                qkvKernel[r * 3 * hidden + 2 * hidden + j] /= so[j];
            }
        }
        for (int j = 0; j < hidden; j++) {
            qkvBias[2 * hidden + j] /= so[j];
        }
        List<String> parts;
        if (smoothing.fewerPasses() && smoothing.perToken()) {
            // One quantised input, three products: no [tokens x 3 hidden] output to split.
            String key = self + "qkv/kernel";
            float[] s = smoothingFactors(key, qkvKernel, hidden, 3 * hidden);
            Sq8Input in = sq8Quantise(g, x, key, s, false);
            String[] names = {"query", "key", "value"};
            String[] outs = new String[3];
            for (int j = 0; j < 3; j++) {
                float[] part = new float[hidden * hidden];
                for (int r = 0; r < hidden; r++) {
                    System.arraycopy(qkvKernel, r * 3 * hidden + j * hidden, part, r * hidden, hidden);
                }
                outs[j] = sq8Product(g, in, self + names[j] + "/kernel", part, hidden, hidden, s);
            }
            parts = List.of(outs);
        } else {
            String qkv = sq8MatMul(x, self + "qkv/kernel", qkvKernel, hidden, 3 * hidden, null);
            parts = List.of(qkv + "_q", qkv + "_k", qkv + "_v");
            g.node("Split", List.of(qkv), parts, Attr.i("axis", -1));
        }
        String bias = g.initializer(self + "qkv/bias", qkvBias, 3L * hidden);
        String ctx = g.msNode("MultiHeadAttention", List.of(parts.get(0), parts.get(1), parts.get(2), bias, mask32),
                Attr.i("num_heads", heads), Attr.f("mask_filter_value", -10000f));
        String att = skipLayerNorm(sq8MatMul(ctx, outKey, wo, hidden, hidden, so), x, a + "output/dense/", a + "output/LayerNorm/");
        String inter = g.msNode("FastGelu", List.of(sq8MatMul(att, p + "intermediate/dense/kernel", null), w(p + "intermediate/dense/bias")));
        String down = smoothing.ffnDownQ8() ? q8MatMul(inter, p + "output/dense/kernel") : sq8MatMul(inter, p + "output/dense/kernel", null);
        return skipLayerNorm(down, att, p + "output/dense/", p + "output/LayerNorm/");
    }

    private String sq8MatMul(String x, String kernel, float[] folded) throws ModelFormatException {
        long[] shape = ckpt.shape(kernel);
        return sq8MatMul(x, kernel, ckpt.floats(kernel), (int) shape[0], (int) shape[1], folded);
    }

    /**
     * SmoothQuant factors of one dense layer {@code [k = in][n = out]}: {@code s_j = max|x_j|^a / max_m|w_jm|^(1-a)}
     * from the calibrated activation maxima, clamped to [1e-4, 1e4].
     */
    private float[] smoothingFactors(String key, float[] kernel, int k, int n) throws ModelFormatException {
        float[] amax = smoothing.activationMax().get(key);
        if (amax == null || amax.length != k) {
            throw new ModelFormatException("smoothing: no calibrated maxima of " + k + " channels for " + key);
        }
        return smoothingFactors(amax, kernel, k, n, smoothing.alpha());
    }

    static float[] smoothingFactors(float[] amax, float[] kernel, int k, int n, float alpha) {
        float[] s = new float[k];
        for (int j = 0; j < k; j++) {
            float wmax = 0;
            for (int m = 0; m < n; m++) {
                wmax = Math.max(wmax, Math.abs(kernel[j * n + m]));
            }
            double v = Math.pow(Math.max(amax[j], 1e-5), alpha) / Math.pow(Math.max(wmax, 1e-5), 1 - alpha);
            s[j] = (float) Math.max(1e-4, Math.min(1e4, v));
        }
        return s;
    }

    /** @param folded the factors when 1/s is already folded into x's producer (no Mul), else null (computed from the calibration) */
    private String sq8MatMul(String x, String name, float[] kernel, int k, int n, float[] folded) throws ModelFormatException {
        float[] s = folded != null ? folded : smoothingFactors(name, kernel, k, n);
        if (smoothing.fewerPasses() && smoothing.perToken()) {
            return sq8Product(g, sq8Quantise(g, x, name, s, folded != null), name, kernel, k, n, s);
        }
        return sq8MatMul(g, x, name, kernel, k, n, s, folded != null, smoothing.perToken());
    }

    /** A dense layer's input quantised per token: uint8 {@code q} (zero point 128) and its {@code step [..., 1]}. */
    record Sq8Input(String q, String step, String zeroPoint) {}

    /**
     * {@code x / s} quantised per token in fewer passes than {@link #sq8MatMul}: Abs and ReduceMax
     * give the step, and QuantizeLinear divides by it per row ({@code axis 0} of the input seen as
     * {@code [tokens, k]}, a zero-copy Reshape), so there is no Div.
     *
     * @param sFolded x is already {@code x / s}: no Mul
     */
    static Sq8Input sq8Quantise(GraphBuilder g, String x, String name, float[] s, boolean sFolded) {
        int k = s.length;
        String xs = x;
        if (!sFolded) {
            float[] inv = new float[k];
            for (int j = 0; j < k; j++) {
                inv[j] = 1f / s[j];
            }
            xs = g.node("Mul", x, g.initializer(name + "_inv_smooth", inv, k));
        }
        String amax = g.node("ReduceMax", List.of(g.node("Abs", xs)), Attr.ints("axes", -1), Attr.i("keepdims", 1));
        String step = g.node("Max", g.node("Mul", amax, g.scalar(1f / 127)), g.scalar(1e-12f));
        String rowStep = g.node("Reshape", step, g.longs(-1));
        String zp = g.initializerBytes(name + "_sq8_zp", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) 128});
        String rowZp = g.node("Expand", zp, g.node("Shape", rowStep));
        String rows = g.node("Reshape", xs, g.longs(-1, k));
        String q = g.node("QuantizeLinear", List.of(rows, rowStep, rowZp), Attr.i("axis", 0));
        return new Sq8Input(g.node("Reshape", q, g.node("Shape", xs)), step, zp);
    }

    /**
     * The product of a quantised input with a kernel {@code [k][n]} whose rows are multiplied by s
     * and quantised per column: MatMulIntegerToFloat with the per-token step as A's scale (it
     * scales each output row), so no Mul follows.
     */
    static String sq8Product(GraphBuilder g, Sq8Input in, String name, float[] kernel, int k, int n, float[] s) {
        SmoothedKernel w = smoothedKernel(g, name, kernel, k, n, s);
        return g.msNode("MatMulIntegerToFloat", List.of(in.q(), w.values(), in.step(), w.scales(), in.zeroPoint()));
    }

    /** Initializer names of a kernel's int8 values and per-column scales. */
    record SmoothedKernel(String values, String scales) {}

    /** The kernel's rows multiplied by the smoothing factors s, quantised per column, as initializers. */
    static SmoothedKernel smoothedKernel(GraphBuilder g, String name, float[] kernel, int k, int n, float[] s) {
        float[] scaled = new float[kernel.length];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                scaled[r * n + c] = kernel[r * n + c] * s[r];
            }
        }
        Int8Weights q = quantiseInt8PerColumn(scaled, k, n);
        String values = g.initializerBytes(name + "_sq8", TensorProto.DataType.INT8_VALUE, q.values(), k, n);
        // What the 7-bit form (x86 without VNNI) needs to rebuild a direct 7-bit quantisation of these weights.
        g.roundingHint(values, IntegerProducts.roundUpBits(scaled, q.values(), q.scales()));
        return new SmoothedKernel(values, g.initializer(name + "_sq8_scale", q.scales(), n));
    }

    /**
     * {@code x . kernel} for a TF kernel {@code [k = in][n = out]} with int8 weights (the rows
     * multiplied by the smoothing factors s, then one symmetric scale per output column) and int8
     * activations of {@code x / s}: per token (QuantizeLinear of {@code (x / s) / step}, step =
     * max|x_t / s| / 127, zero point 128, then MatMulIntegerToFloat and the step: int8 x int8 with
     * VNNI on this CPU) or per call (DynamicQuantizeMatMul).
     *
     * @param sFolded x is already {@code x / s} (1/s folded into its producer): no Mul
     */
    static String sq8MatMul(GraphBuilder g, String x, String name, float[] kernel, int k, int n, float[] s, boolean sFolded,
            boolean perToken) {
        SmoothedKernel kw = smoothedKernel(g, name, kernel, k, n, s);
        String wq = kw.values();
        String ws = kw.scales();
        String xs = x;
        if (!sFolded) {
            float[] inv = new float[k];
            for (int j = 0; j < k; j++) {
                inv[j] = 1f / s[j];
            }
            xs = g.node("Mul", x, g.initializer(name + "_inv_smooth", inv, k));
        }
        if (!perToken) {
            return g.msNode("DynamicQuantizeMatMul", List.of(xs, wq, ws));
        }
        String amax = g.node("ReduceMax", List.of(g.node("Abs", xs)), Attr.ints("axes", -1), Attr.i("keepdims", 1));
        String step = g.node("Max", g.node("Mul", amax, g.scalar(1f / 127)), g.scalar(1e-12f));
        String zp = g.initializerBytes(name + "_sq8_zp", TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) 128});
        String q8 = g.node("QuantizeLinear", g.node("Div", xs, step), g.scalar(1f), zp);
        String y = g.msNode("MatMulIntegerToFloat", List.of(q8, wq, g.scalar(1f), ws, zp));
        return g.node("Mul", y, step);
    }

    /** int8 {@code [k][n]} row-major and one symmetric scale per column ({@code max|w| / 127}). */
    record Int8Weights(byte[] values, float[] scales) {}

    static Int8Weights quantiseInt8PerColumn(float[] kernel, int k, int n) {
        float[] scale = new float[n];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                scale[c] = Math.max(scale[c], Math.abs(kernel[r * n + c]));
            }
        }
        for (int c = 0; c < n; c++) {
            scale[c] = scale[c] == 0 ? 1f : scale[c] / 127f;
        }
        byte[] q = new byte[kernel.length];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                q[r * n + c] = (byte) Math.max(-127, Math.min(127, Math.round(kernel[r * n + c] / scale[c])));
            }
        }
        return new Int8Weights(q, scale);
    }

    /**
     * MatMulNBits' B and scales: {@code blocks} uint8 {@code [n][ceil(k / 32)][32]} (one row per output
     * column), each value {@code round(w / scale) + 128} with {@code scale = max|w| / 127} over its block
     * (symmetric; the default zero point 128, so no zero_points input), padding past k stored as 128;
     * {@code scales} float {@code [n * ceil(k / 32)]}.
     */
    record Q8Weights(byte[] blocks, float[] scales, int blocksPerColumn) {}

    static Q8Weights quantiseQ8(float[] kernel, int k, int n) {
        if (kernel.length != (long) k * n) {
            throw new IllegalArgumentException(kernel.length + " weights for [" + k + " x " + n + "]");
        }
        int nb = (k + Q8_BLOCK - 1) / Q8_BLOCK;
        byte[] blocks = new byte[n * nb * Q8_BLOCK];
        java.util.Arrays.fill(blocks, (byte) 128);
        float[] scales = new float[n * nb];
        for (int col = 0; col < n; col++) {
            for (int blk = 0; blk < nb; blk++) {
                int r0 = blk * Q8_BLOCK;
                int r1 = Math.min(k, r0 + Q8_BLOCK);
                float amax = 0;
                for (int r = r0; r < r1; r++) {
                    amax = Math.max(amax, Math.abs(kernel[r * n + col]));
                }
                float scale = amax == 0 ? 1f : amax / 127f;
                scales[col * nb + blk] = scale;
                int base = (col * nb + blk) * Q8_BLOCK;
                for (int r = r0; r < r1; r++) {
                    int q = Math.max(-127, Math.min(127, Math.round(kernel[r * n + col] / scale)));
                    blocks[base + r - r0] = (byte) (q + 128);
                }
            }
        }
        return new Q8Weights(blocks, scales, nb);
    }
}
