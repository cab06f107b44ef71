package dev.lsr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One application context for every api test: a real server on a random port, a fresh data
 * directory, small limits (so that each is easy to exceed), an API key for writes, and the tiny
 * model from {@code ../shared} as the default model when it is there ({@code none} otherwise, so
 * that vector-only tests still run).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTestBase {

    protected static final String API_KEY = "test-key";
    protected static final long MAX_BODY = 256 * 1024;
    protected static final int ASYNC_BATCH = 8;
    protected static final int MAX_BATCH = 200;
    protected static final int MAX_K = 50;
    protected static final int MAX_QUERY_CHARS = 300;

    protected static final Path TINY_MODEL = sharedDir().resolve("models/tiny-mlm/model.onnx");
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    protected int port;

    protected static Path sharedDir() {
        return Path.of(System.getProperty("lsr.shared", "../../shared"));
    }

    protected static boolean hasTinyModel() {
        return Files.isRegularFile(TINY_MODEL) && Files.isRegularFile(TINY_MODEL.resolveSibling("tokenizer.json"));
    }

    /** Skips (with the reason printed) a test that needs the tiny model. */
    protected static void assumeTinyModel() {
        if (!hasTinyModel()) {
            System.out.println("SKIPPED: " + TINY_MODEL + " is absent (../shared not mounted); this test encodes text with the tiny model");
        }
        Assumptions.assumeTrue(hasTinyModel(), "needs " + TINY_MODEL);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        // Inside a fresh directory of its own, so that tests can check that nothing was written beside it;
        // under target/, not /tmp: Spring caches the context across test classes, so no test owns the
        // directory to delete it, and mvn clean does.
        Path data = Files.createDirectories(Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "lsr-api-test")
                .resolve("data"));
        registry.add("lsr.data-dir", data::toString);
        registry.add("lsr.default-model", () -> hasTinyModel() ? TINY_MODEL.toString() : "none");
        registry.add("lsr.api-key", () -> API_KEY);
        registry.add("lsr.encoder-threads", () -> "2");
        registry.add("lsr.limits.max-body-bytes", () -> Long.toString(MAX_BODY));
        registry.add("lsr.limits.async-batch", () -> Integer.toString(ASYNC_BATCH));
        registry.add("lsr.limits.max-batch", () -> Integer.toString(MAX_BATCH));
        registry.add("lsr.limits.max-k", () -> Integer.toString(MAX_K));
        registry.add("lsr.limits.max-query-chars", () -> Integer.toString(MAX_QUERY_CHARS));
        registry.add("lsr.jobs.chunk", () -> "4");
    }

    /** A response with its body parsed when it is JSON. */
    protected record Reply(int status, String contentType, String body, JsonNode json, java.net.http.HttpHeaders headers) {
        public JsonNode get(String field) {
            return json.get(field);
        }

        /** Asserts an RFC 9457 problem with this status whose detail contains {@code detailPart}. */
        public Reply problem(int expectedStatus, String detailPart) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            assertThat(contentType).as("content type").startsWith("application/problem+json");
            assertThat(json.get("status").intValue()).isEqualTo(expectedStatus);
            assertThat(json.get("title").stringValue()).isNotBlank();
            assertThat(json.get("detail").stringValue()).contains(detailPart);
            return this;
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public Reply ok(int expectedStatus) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            return this;
        }
    }

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected Reply send(String method, String path, String contentType, String body, boolean withKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (withKey) {
            b.header("Authorization", "Bearer " + API_KEY);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return exchange(b.build());
    }

    protected Reply exchange(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
            return new Reply(r.statusCode(), type, r.body(), json, r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected Reply get(String path) {
        return send("GET", path, null, null, false);
    }

    protected Reply post(String path, Object body) {
        return send("POST", path, "application/json", body instanceof String s ? s : JSON.writeValueAsString(body), true);
    }

    protected Reply put(String path, Object body) {
        return send("PUT", path, "application/json", body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body), true);
    }

    protected Reply delete(String path) {
        return send("DELETE", path, null, null, true);
    }

    /** Polls a job until it has finished (or fails the test after 60 s). */
    protected JsonNode awaitJob(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/jobs/" + id).ok(200).json();
            String state = job.get("state").stringValue();
            if (state.equals("succeeded") || state.equals("failed")) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not finish in 60 s");
    }
}
