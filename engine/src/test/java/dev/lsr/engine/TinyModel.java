package dev.lsr.engine;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The tiny random masked LM from {@code ../shared}; tests that need it skip with the reason when it is absent. */
final class TinyModel {

    static final Path ONNX = Path.of(System.getProperty("lsr.shared", "../shared")).resolve("models/tiny-mlm/model.onnx");

    private TinyModel() {}

    static void assume() {
        if (!Files.isRegularFile(ONNX)) {
            System.out.println("SKIPPED: " + ONNX + " is absent (../shared not mounted)");
        }
        Assumptions.assumeTrue(Files.isRegularFile(ONNX), "needs " + ONNX);
    }

    /**
     * The tiny model imported as {@code dataDir/models/<name>} with the zero-shot recommendations of
     * the default BERT model written into its model.json (centring at the 90th percentile,
     * inference-free queries, hybrid linear 0.4): what {@code bert-base-uncased-mlm} records, on a model
     * that loads in milliseconds.
     */
    static String zeroShot(Path dataDir, String name) throws IOException {
        assume();
        Path dir = dataDir.resolve("models").resolve(name);
        OnnxImporter.importModel(ONNX, ONNX.resolveSibling("tokenizer.json"), dir, name, HeadDType.FP32);
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode info = (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
        info.set("encoder", json.valueToTree(dev.lsr.encoder.model.ModelInfo.Defaults.zeroShotMlm()));
        Files.write(dir.resolve("model.json"), json.writeValueAsBytes(info));
        return name;
    }
}
