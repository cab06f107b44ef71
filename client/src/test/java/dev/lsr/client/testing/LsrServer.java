package dev.lsr.client.testing;

import dev.lsr.api.LsrApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real {@code lsr serve} for tests: the api's Spring Boot application, in this JVM, on a random
 * port, over a fresh data directory, with the tiny model from {@code ../shared} as its default model
 * when it is there ({@code none} otherwise, so that vector tests still run). Shared with the
 * integrations' tests through this module's test jar.
 */
public final class LsrServer implements AutoCloseable {

    public static final String API_KEY = "integration-test-key";

    private final ConfigurableApplicationContext context;
    private final URI uri;
    private final Path dataDir;

    private LsrServer(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.uri = URI.create("http://localhost:" + port);
    }

    /** Starts a server with an API key, the tiny model as default when present, and {@code extra} properties. */
    public static LsrServer start(Map<String, String> extra) {
        try {
            Path data = Files.createDirectories(Files.createTempDirectory("lsr-serve-test").resolve("data"));
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--lsr.data-dir=" + data,
                    "--lsr.default-model=" + (hasTinyModel() ? tinyModel().toString() : "none"),
                    "--lsr.api-key=" + API_KEY,
                    "--lsr.encoder-threads=2",
                    "--spring.jmx.enabled=false"));
            extra.forEach((k, v) -> args.add("--" + k + "=" + v));
            SpringApplication app = new SpringApplication(LsrApplication.class);
            ConfigurableApplicationContext ctx = app.run(args.toArray(String[]::new));
            return new LsrServer(ctx, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LsrServer start() {
        return start(Map.of());
    }

    /** The base URI, {@code http://localhost:PORT}. */
    public URI uri() {
        return uri;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server and deletes its temporary directory (a test suite run used to leave ~1 GB of them in /tmp). */
    @Override
    public void close() {
        context.close();
        try {
            org.apache.lucene.util.IOUtils.rm(dataDir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ../shared} as the build passes it ({@code lsr.shared}). */
    public static Path sharedDir() {
        return Path.of(System.getProperty("lsr.shared", "../../shared"));
    }

    /** The tiny random masked-LM (a Hugging Face ONNX export with its tokenizer). */
    public static Path tinyModel() {
        return sharedDir().resolve("models/tiny-mlm/model.onnx");
    }

    public static boolean hasTinyModel() {
        return Files.isRegularFile(tinyModel()) && Files.isRegularFile(tinyModel().resolveSibling("tokenizer.json"));
    }

    /**
     * A copy of the tiny model as {@code dataDir/models/<name>} with the recommendations the default
     * {@code bert-base-uncased-mlm} import records ({@code ModelInfo.Defaults.zeroShotMlm()}: hybrid
     * linear 0.4, inference-free queries, centring): a model whose recommended search is not
     * approximate, loading in milliseconds. Needs
     * the tiny model already imported into {@code dataDir/models/tiny-mlm} (by a service or an
     * embedded engine with it as the default model).
     */
    public static String zeroShotCopy(Path dataDir, String name) {
        Path from = dataDir.resolve("models/tiny-mlm");
        Path to = dataDir.resolve("models").resolve(name);
        try {
            Files.createDirectories(to);
            try (var files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
            tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
            tools.jackson.databind.node.ObjectNode info = (tools.jackson.databind.node.ObjectNode) json.readTree(to.resolve("model.json").toFile());
            info.put("name", name);
            info.set("encoder", json.valueToTree(dev.lsr.encoder.model.ModelInfo.Defaults.zeroShotMlm()));
            Files.write(to.resolve("model.json"), json.writeValueAsBytes(info));
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the calling test, printing why, when the tiny model is absent. */
    public static void assumeTinyModel() {
        if (!hasTinyModel()) {
            System.out.println("SKIPPED: " + tinyModel() + " is absent (../shared not mounted); this test encodes text with the tiny model");
        }
        Assumptions.assumeTrue(hasTinyModel(), "needs " + tinyModel());
    }
}
