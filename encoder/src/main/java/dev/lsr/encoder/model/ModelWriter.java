package dev.lsr.encoder.model;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.head.HeadFile;
import dev.lsr.encoder.onnx.IntegerProducts;
import dev.lsr.encoder.onnx.proto.ModelProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a complete model directory: body.onnx, head.bin, the tokenizer file and model.json. */
final class ModelWriter {

    private ModelWriter() {}

    /** Builds a graph when it is written (building may fail on the checkpoint's content). */
    @FunctionalInterface
    interface GraphSource {
        BodyGraph get() throws IOException;
    }

    static ModelInfo write(Path out, String name, String source, ModelProto body, List<String> inputs,
            float[] w, float[] bias, int vocab, int hidden, HeadDType headDtype, String bodyDtype,
            Path tokenizerFile, TokenizerInfo tok) throws IOException {
        return write(out, name, source, body, inputs, w, bias, vocab, hidden, headDtype, bodyDtype, tokenizerFile, tok,
                ModelInfo.Defaults.standard());
    }

    /** @param defaults the encoding defaults recorded in model.json */
    static ModelInfo write(Path out, String name, String source, ModelProto body, List<String> inputs,
            float[] w, float[] bias, int vocab, int hidden, HeadDType headDtype, String bodyDtype,
            Path tokenizerFile, TokenizerInfo tok, ModelInfo.Defaults defaults) throws IOException {
        return write(out, name, source, () -> BodyGraph.of(body), inputs, w, bias, vocab, hidden, headDtype, bodyDtype, null, null, null, null,
                tokenizerFile, tok, defaults);
    }

    /**
     * @param body built on demand, so that it and the query body are never in memory together
     * @param queryBody the body full-mode queries run ({@value ModelInfo#QUERY_BODY}), or null for none
     * @param queryBodyDtype its dtype, recorded in model.json
     * @param documentBodyDtype the dtype of the body documents run by default (model.json's
     *     {@code document_body_dtype}); null = {@code bodyDtype}
     * @param documentHead model.json's {@code document_head} ({@link ModelInfo#HEAD_FUSED} or
     *     {@link ModelInfo#HEAD_ONNX_INT8}); null = not recorded (fused)
     */
    static ModelInfo write(Path out, String name, String source, GraphSource body, List<String> inputs,
            float[] w, float[] bias, int vocab, int hidden, HeadDType headDtype, String bodyDtype,
            GraphSource queryBody, String queryBodyDtype, String documentBodyDtype, String documentHead, Path tokenizerFile, TokenizerInfo tok, ModelInfo.Defaults defaults)
            throws IOException {
        if (tok.vocab().size() != vocab) {
            throw new ModelFormatException(tokenizerFile + ": vocabulary has " + tok.vocab().size()
                    + " tokens but the model's projection has " + vocab + " outputs");
        }
        Files.createDirectories(out);
        List<String> files = new ArrayList<>(List.of(ModelInfo.BODY, ModelInfo.HEAD));
        writeBody(body.get(), out, ModelInfo.BODY, files);
        if (queryBody != null) {
            writeBody(queryBody.get(), out, ModelInfo.QUERY_BODY, files);
            files.add(ModelInfo.QUERY_BODY);
        }
        HeadFile.write(out.resolve(ModelInfo.HEAD), w, bias, vocab, hidden, headDtype);
        String tokName = tokenizerFile.getFileName().toString().endsWith(".txt") ? "vocab.txt" : "tokenizer.json";
        Files.copy(tokenizerFile, out.resolve(tokName), StandardCopyOption.REPLACE_EXISTING);
        try {
            // A temp source file (0600) must not make the model unreadable to other users.
            Files.setPosixFilePermissions(out.resolve(tokName), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // keep the file system's default
        }
        ModelInfo info = new ModelInfo(name, ModelInfo.FORMAT_VERSION, source, vocab, hidden, tok.maxTokens(), tok.lowerCase(),
                tok.specialTokens(), "log1p_relu", "max", headDtype.name().toLowerCase(Locale.ROOT), bodyDtype,
                queryBody != null ? queryBodyDtype : null, documentBodyDtype != null ? documentBodyDtype : bodyDtype, documentHead, tokName,
                List.copyOf(inputs), defaults, new java.util.TreeMap<>());
        files.add(tokName);
        return ModelDirectory.write(out, info, files);
    }

    /** The graph, and its rounding hints beside it when it has any (listed in {@code files}). */
    private static void writeBody(BodyGraph body, Path out, String file, List<String> files) throws IOException {
        writeGraph(body.model(), out.resolve(file));
        String hints = file + IntegerProducts.HINTS_SUFFIX;
        if (body.hasHints()) {
            writeGraph(body.roundingHints(), out.resolve(hints));
            files.add(hints);
        } else {
            Files.deleteIfExists(out.resolve(hints)); // a re-import over a directory must not keep stale hints
        }
    }

    private static void writeGraph(com.google.protobuf.MessageLite graph, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            graph.writeTo(os);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
