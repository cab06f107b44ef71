package dev.lsr.encoder.model;

import dev.lsr.encoder.model.tf.BertCheckpoint;
import dev.lsr.encoder.onnx.GraphBuilder;
import dev.lsr.encoder.onnx.GraphBuilder.Attr;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import java.util.List;

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
        FUSED_Q8;

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
                default -> throw new IllegalArgumentException("body dtype " + dtype + ": expected fp32, int8 or q8");
            };
        }
    }

    /** MatMulNBits block size along K (the input dimension) and bits per weight. */
    static final int Q8_BLOCK = 32;
    static final int Q8_BITS = 8;
    /** MatMulNBits accuracy_level 4: int8 compute with blockwise-quantised activations. */
    static final int Q8_ACCURACY_LEVEL = 4;

    private final BertCheckpoint ckpt;
    private final GraphBuilder g = new GraphBuilder("bert-mlm-body");
    private final int hidden;
    private final int heads;
    private final Ops ops;
    private String half;
    private String one;

    private BertGraph(BertCheckpoint ckpt, int heads, Ops ops) throws ModelFormatException {
        this.ckpt = ckpt;
        this.ops = ops;
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
        return new BertGraph(ckpt, heads, ops).graph(progress);
    }

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
                case STANDARD, STANDARD_INT8 -> layer(x, attentionMask, p);
            };
            progress.update("building graph", l + 1, layers);
        }
        // The masked-LM transform.
        String c = "module/cls/predictions/transform/";
        String t = switch (ops) {
            case FUSED -> g.msNode("FastGelu", List.of(fp32MatMul(x, c + "dense/kernel"), w(c + "dense/bias")));
            case FUSED_Q8 -> g.msNode("FastGelu", List.of(q8MatMul(x, c + "dense/kernel"), w(c + "dense/bias")));
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
        float[] k = ckpt.floats(prefix + "kernel");
        float[] scale = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                scale[c] = Math.max(scale[c], Math.abs(k[r * cols + c]));
            }
        }
        for (int c = 0; c < cols; c++) {
            scale[c] = scale[c] == 0 ? 1f : scale[c] / 127f;
        }
        byte[] q = new byte[k.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                q[r * cols + c] = (byte) Math.max(-127, Math.min(127, Math.round(k[r * cols + c] / scale[c])));
            }
        }
        String wq = g.initializerBytes(prefix + "kernel_int8", TensorProto.DataType.INT8_VALUE, q, rows, cols);
        String ws = g.initializer(prefix + "kernel_scale", scale, cols);
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
        String ctx = g.msNode("Attention", List.of(x, qkv(a + "self/", "kernel"), qkv(a + "self/", "bias"), mask32),
                Attr.i("num_heads", heads), Attr.f("mask_filter_value", -10000f));
        String att = skipLayerNorm(fp32MatMul(ctx, a + "output/dense/kernel"), x, a + "output/dense/", a + "output/LayerNorm/");
        String inter = g.msNode("FastGelu", List.of(fp32MatMul(att, p + "intermediate/dense/kernel"), w(p + "intermediate/dense/bias")));
        return skipLayerNorm(fp32MatMul(inter, p + "output/dense/kernel"), att, p + "output/dense/", p + "output/LayerNorm/");
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
