package dev.lsr.encoder.model;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.onnx.proto.ModelProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Imports a Hugging Face style masked-LM ONNX export (output {@code logits [batch, tokens, vocab]})
 * into a model directory: the body without its vocabulary projection, and the projection as head.bin.
 */
public final class OnnxImporter {

    private OnnxImporter() {}

    /**
     * @param name the model's name in model.json (e.g. the directory name)
     */
    public static ModelInfo importModel(Path onnx, Path tokenizer, Path out, String name, HeadDType headDtype) throws IOException {
        if (!Files.isRegularFile(onnx)) {
            throw new ModelFormatException(onnx + ": ONNX model file not found");
        }
        TokenizerInfo tok = TokenizerInfo.read(tokenizer, true);
        ModelProto model;
        try (InputStream in = Files.newInputStream(onnx)) {
            com.google.protobuf.CodedInputStream cis = com.google.protobuf.CodedInputStream.newInstance(in);
            cis.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(cis);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ModelFormatException(onnx + ": not an ONNX model: " + e.getMessage(), e);
        }
        if (!model.hasGraph()) {
            throw new ModelFormatException(onnx + ": not an ONNX model (no graph)");
        }
        Path base = onnx.toAbsolutePath().getParent();
        ProjectionCut.Result cut = ProjectionCut.cut(model, onnx.getFileName().toString(), base);
        return ModelWriter.write(out, name, "onnx:" + onnx.getFileName(), cut.body(), cut.inputs(), cut.w(), cut.bias(),
                cut.vocab(), cut.hidden(), headDtype, "fp32", tokenizer, tok);
    }
}
