package dev.lsr.encoder.model;

import dev.lsr.encoder.onnx.GraphBuilder;
import dev.lsr.encoder.onnx.OnnxTensors;
import dev.lsr.encoder.onnx.proto.AttributeProto;
import dev.lsr.encoder.onnx.proto.GraphProto;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.NodeProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import dev.lsr.encoder.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the vocabulary projection at the end of a masked-LM graph and cuts it off.
 *
 * <p>Recognised forms of the step producing {@code logits}: {@code MatMul(x, W)} with {@code W}
 * {@code [hidden x vocab]}, optionally followed by {@code Add} with a {@code [vocab]} bias as either
 * operand; {@code W} may be an initializer or an {@code Identity}/{@code Transpose} of one (a weight
 * tied to the input embeddings is such a transpose); {@code Gemm(x, W, bias)} with any
 * {@code transB}, alpha and beta, optionally between two {@code Reshape}s (rank 3 to 2 and back).
 * The cut graph outputs {@code x} as {@code hidden [batch, tokens, hidden]}; nodes and initializers
 * no longer needed are dropped.
 */
public final class ProjectionCut {

    public static final String HIDDEN = "hidden";
    static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    /** The cut body, and the head as {@code w [vocab][hidden]} row-major plus bias. */
    public record Result(ModelProto body, float[] w, float[] bias, int vocab, int hidden, List<String> inputs, String found) {}

    private final String file;
    private final Path baseDir;
    private final GraphProto g;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();

    private ProjectionCut(String file, Path baseDir, GraphProto g) {
        this.file = file;
        this.baseDir = baseDir;
        this.g = g;
        for (int i = 0; i < g.getNodeCount(); i++) {
            for (String o : g.getNode(i).getOutputList()) {
                producer.put(o, i);
            }
        }
        for (TensorProto t : g.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
    }

    /**
     * @param file the file name used in error messages
     * @param baseDir where external tensor data of the model lives
     */
    public static Result cut(ModelProto model, String file, Path baseDir) throws IOException {
        return new ProjectionCut(file, baseDir, model.getGraph()).run(model);
    }

    private Result run(ModelProto model) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (ValueInfoProto in : g.getInputList()) {
            if (initializers.containsKey(in.getName())) {
                continue;
            }
            inputs.add(in.getName());
            if (!KNOWN_INPUTS.contains(in.getName())) {
                unexpected.add(in.getName());
            }
        }
        if (!unexpected.isEmpty() || !inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
            throw new ModelFormatException(file + ": graph inputs " + inputs + " are not the expected"
                    + " input_ids, attention_mask [, token_type_ids]" + (unexpected.isEmpty() ? "" : " (unexpected: " + unexpected + ")"));
        }
        String outName = logitsOutput();
        Set<Integer> removed = new HashSet<>();
        int node = producerOf(outName, outName);
        NodeProto n = g.getNode(node);
        while (n.getOpType().equals("Identity")) {
            removed.add(node);
            node = producerOf(n.getInput(0), outName);
            n = g.getNode(node);
        }
        String found = describe(n);
        boolean outerReshape = false;
        if (n.getOpType().equals("Reshape")) {
            removed.add(node);
            outerReshape = true;
            node = producerOf(n.getInput(0), outName);
            n = g.getNode(node);
        }
        float[] bias = null;
        if (n.getOpType().equals("Add")) {
            removed.add(node);
            String a = n.getInput(0);
            String b = n.getInput(1);
            float[] biasA = constantVector(a);
            float[] biasB = biasA == null ? constantVector(b) : null;
            if (biasA == null && biasB == null) {
                throw refuse(outName, found, "Add has no constant [vocab] bias operand");
            }
            bias = biasA != null ? biasA : biasB;
            node = producerOf(biasA != null ? b : a, outName);
            n = g.getNode(node);
        }
        String x;
        Matrix w;
        float[] gemmBias = null;
        switch (n.getOpType()) {
            case "MatMul" -> {
                removed.add(node);
                x = n.getInput(0);
                w = constantMatrix(n.getInput(1));
                if (w == null) {
                    throw refuse(outName, found, "MatMul's second operand " + n.getInput(1) + " is not a constant 2-D weight");
                }
            }
            case "Gemm" -> {
                removed.add(node);
                if (attrInt(n, "transA", 0) != 0) {
                    throw refuse(outName, found, "Gemm with transA=1");
                }
                x = n.getInput(0);
                w = constantMatrix(n.getInput(1));
                if (w == null) {
                    throw refuse(outName, found, "Gemm's B operand " + n.getInput(1) + " is not a constant 2-D weight");
                }
                if (attrInt(n, "transB", 0) != 0) {
                    w = w.transpose();
                }
                float alpha = attrFloat(n, "alpha", 1f);
                float beta = attrFloat(n, "beta", 1f);
                if (alpha != 1f) {
                    for (int i = 0; i < w.data.length; i++) {
                        w.data[i] *= alpha;
                    }
                }
                if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                    gemmBias = constantVector(n.getInput(2));
                    if (gemmBias == null) {
                        throw refuse(outName, found, "Gemm's C operand " + n.getInput(2) + " is not a constant [vocab] vector");
                    }
                    for (int i = 0; i < gemmBias.length; i++) {
                        gemmBias[i] *= beta;
                    }
                }
                if (outerReshape && producer.containsKey(x) && g.getNode(producer.get(x)).getOpType().equals("Reshape")) {
                    int inner = producer.get(x);
                    removed.add(inner);
                    x = g.getNode(inner).getInput(0);
                }
            }
            default -> throw refuse(outName, found, "expected MatMul or Gemm with a [hidden x vocab] weight, found " + describe(n));
        }
        // w is [hidden x vocab] as MatMul uses it.
        int hidden = w.rows;
        int vocab = w.cols;
        if (vocab < hidden) {
            throw refuse(outName, found, "projection weight is " + hidden + " x " + vocab + ": fewer outputs than inputs, not a vocabulary");
        }
        float[] b = new float[vocab];
        for (float[] part : new float[][] {bias, gemmBias}) {
            if (part != null) {
                if (part.length != vocab) {
                    throw refuse(outName, found, "bias has " + part.length + " values, the weight has " + vocab + " columns");
                }
                for (int i = 0; i < vocab; i++) {
                    b[i] += part[i];
                }
            }
        }
        float[] rowMajor = w.transpose().data; // [vocab][hidden]
        return new Result(body(model, x, removed, hidden), rowMajor, b, vocab, hidden, inputs, found);
    }

    private String logitsOutput() throws ModelFormatException {
        List<String> names = g.getOutputList().stream().map(ValueInfoProto::getName).toList();
        if (names.contains("logits")) {
            return "logits";
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        throw new ModelFormatException(file + ": graph outputs " + names + " have no 'logits' [batch, tokens, vocab]");
    }

    private int producerOf(String tensor, String outName) throws ModelFormatException {
        Integer p = producer.get(tensor);
        if (p == null) {
            throw new ModelFormatException(file + ": output '" + outName + "' is not a vocabulary projection: "
                    + tensor + " is not produced by a node");
        }
        return p;
    }

    private ModelFormatException refuse(String outName, String found, String why) {
        return new ModelFormatException(file + ": the last step before output '" + outName
                + "' is not a vocabulary projection (found " + found + "): " + why);
    }

    private static String describe(NodeProto n) {
        return n.getOpType() + "(" + String.join(", ", n.getInputList()) + ")";
    }

    /** A row-major matrix of a constant weight. */
    private record Matrix(float[] data, int rows, int cols) {
        Matrix transpose() {
            float[] t = new float[data.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = data[r * cols + c];
                }
            }
            return new Matrix(t, cols, rows);
        }
    }

    /** An initializer, possibly behind Identity and 2-D Transpose nodes. */
    private Matrix constantMatrix(String name) throws IOException {
        boolean transposed = false;
        String cur = name;
        for (int depth = 0; depth < 8; depth++) {
            TensorProto t = initializers.get(cur);
            if (t != null) {
                if (t.getDimsCount() != 2) {
                    return null;
                }
                Matrix m = new Matrix(OnnxTensors.floats(t, baseDir), (int) t.getDims(0), (int) t.getDims(1));
                return transposed ? m.transpose() : m;
            }
            Integer p = producer.get(cur);
            if (p == null) {
                return null;
            }
            NodeProto n = g.getNode(p);
            switch (n.getOpType()) {
                case "Identity" -> cur = n.getInput(0);
                case "Transpose" -> {
                    List<Long> perm = attrInts(n, "perm");
                    if (!perm.isEmpty() && !perm.equals(List.of(1L, 0L))) {
                        return null;
                    }
                    transposed = !transposed;
                    cur = n.getInput(0);
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    private float[] constantVector(String name) throws IOException {
        String cur = name;
        for (int depth = 0; depth < 8; depth++) {
            TensorProto t = initializers.get(cur);
            if (t != null) {
                return t.getDimsCount() == 1 && t.getDataType() == TensorProto.DataType.FLOAT_VALUE
                        ? OnnxTensors.floats(t, baseDir) : null;
            }
            Integer p = producer.get(cur);
            if (p == null || !g.getNode(p).getOpType().equals("Identity")) {
                return null;
            }
            cur = g.getNode(p).getInput(0);
        }
        return null;
    }

    private ModelProto body(ModelProto model, String x, Set<Integer> removed, int hidden) throws IOException {
        GraphProto.Builder out = g.toBuilder().clearNode().clearOutput().clearInitializer().clearValueInfo();
        List<NodeProto> nodes = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (!removed.contains(i)) {
                nodes.add(g.getNode(i));
            }
        }
        nodes.add(NodeProto.newBuilder().setOpType("Identity").setName("lsr_hidden").addInput(x).addOutput(HIDDEN).build());
        // Keep only what the new output still needs.
        Map<String, NodeProto> byOutput = new HashMap<>();
        for (NodeProto n : nodes) {
            for (String o : n.getOutputList()) {
                byOutput.put(o, n);
            }
        }
        Set<NodeProto> live = new HashSet<>();
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(HIDDEN));
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (!needed.add(t)) {
                continue;
            }
            NodeProto n = byOutput.get(t);
            if (n != null && live.add(n)) {
                todo.addAll(n.getInputList());
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.hasG()) {
                        // Subgraphs may read outer-scope tensors; keep everything they name.
                        a.getG().getNodeList().forEach(sn -> todo.addAll(sn.getInputList()));
                    }
                }
            }
        }
        for (NodeProto n : nodes) {
            if (live.contains(n)) {
                out.addNode(n);
            }
        }
        for (TensorProto t : g.getInitializerList()) {
            if (needed.contains(t.getName())) {
                out.addInitializer(OnnxTensors.inline(t, baseDir));
            }
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (needed.contains(v.getName())) {
                out.addValueInfo(v);
            }
        }
        out.addOutput(GraphBuilder.valueInfo(HIDDEN, TensorProto.DataType.FLOAT_VALUE, "batch", "tokens", hidden));
        return model.toBuilder().setGraph(out).build();
    }

    private static long attrInt(NodeProto n, String name, long dflt) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).mapToLong(AttributeProto::getI).findFirst().orElse(dflt);
    }

    private static float attrFloat(NodeProto n, String name, float dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    private static List<Long> attrInts(NodeProto n, String name) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .map(AttributeProto::getIntsList).orElse(List.of());
    }
}
