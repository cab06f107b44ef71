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
 */
final class BertGraph {

    static final String PREFIX = "module/bert/";
    static final float LN_EPS = 1e-12f;
    private static final int F = TensorProto.DataType.FLOAT_VALUE;
    private static final int I64 = TensorProto.DataType.INT64_VALUE;

    private final BertCheckpoint ckpt;
    private final GraphBuilder g = new GraphBuilder("bert-mlm-body");
    private final int hidden;
    private final int heads;
    private String half;
    private String one;

    private BertGraph(BertCheckpoint ckpt, int heads) throws ModelFormatException {
        this.ckpt = ckpt;
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

    static ModelProto build(BertCheckpoint ckpt, int heads, ImportProgress progress) throws ModelFormatException {
        return new BertGraph(ckpt, heads).graph(progress);
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
        half = g.scalar(0.5f);
        one = g.scalar(1f);

        // Embeddings: word + position + token type, then LayerNorm.
        String e = PREFIX + "embeddings/";
        String word = g.node("Gather", w(e + "word_embeddings"), ids);
        String tokens = g.node("Gather", List.of(g.node("Shape", ids), g.longs(1)));
        String positions = g.node("Range", List.of(g.initializerLongs("pos_start", new long[] {0}), g.node("Squeeze", tokens, g.longs(0)),
                g.initializerLongs("pos_step", new long[] {1})));
        String pos = g.node("Gather", w(e + "position_embeddings"), positions);
        String type = g.node("Gather", w(e + "token_type_embeddings"), types);
        String x = layerNorm(g.node("Add", g.node("Add", word, pos), type), e + "LayerNorm/");

        // Additive attention bias: 0 for real tokens, -10000 for padding, shaped [batch, 1, 1, tokens].
        String m = g.node("Cast", List.of(mask), Attr.i("to", F));
        String bias = g.node("Mul", g.node("Sub", one, m), g.scalar(-10000f));
        bias = g.node("Unsqueeze", bias, g.longs(1, 2));

        for (int l = 0; l < layers; l++) {
            x = layer(x, bias, PREFIX + "encoder/layer_" + l + "/");
            progress.update("building graph", l + 1, layers);
        }
        // The masked-LM transform.
        String c = "module/cls/predictions/transform/";
        String t = gelu(dense(x, c + "dense/"));
        String out = layerNorm(t, c + "LayerNorm/");
        g.node("Identity", List.of(out), List.of(ProjectionCut.HIDDEN));
        g.output(ProjectionCut.HIDDEN, F, "batch", "tokens", hidden);
        return g.build();
    }

    private String dense(String x, String prefix) throws ModelFormatException {
        return g.node("Add", g.node("MatMul", x, w(prefix + "kernel")), w(prefix + "bias"));
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
}
