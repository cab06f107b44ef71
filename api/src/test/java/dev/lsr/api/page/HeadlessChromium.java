package dev.lsr.api.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol (a websocket of JSON messages): just
 * what the page test needs, navigate, evaluate, type, press Enter, screenshot.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** The chromium binary: {@code $LSR_CHROMIUM}, else Debian's. */
    static Optional<Path> binary() {
        String env = System.getenv("LSR_CHROMIUM");
        return Stream.of(env == null ? null : Path.of(env), Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"))
                .filter(p -> p != null && Files.isExecutable(p)).findFirst();
    }

    HeadlessChromium(Path binary, int width, int height) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("lsr-chromium");
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        int port = devToolsPort();
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        for (int attempt = 0; attempt < 100 && pageSocket == null; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : JSON.readTree(r.body())) {
                if ("page".equals(target.path("type").asString())) {
                    pageSocket = target.get("webSocketDebuggerUrl").stringValue();
                }
            }
            if (pageSocket == null) {
                Thread.sleep(100);
            }
        }
        if (pageSocket == null) {
            close();
            throw new IOException("chromium opened no page target");
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).join();
    }

    /** Chromium writes the port it chose into DevToolsActivePort in its profile directory. */
    private int devToolsPort() throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("chromium exited with " + process.exitValue() + ": " + Files.readString(profile.resolve("chromium.log")));
            }
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
                    return Integer.parseInt(lines.getFirst().trim());
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("chromium did not open its DevTools port within 60 s");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = JSON.readTree(partial.toString());
                partial.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> f = pending.remove(message.get("id").intValue());
                    if (f != null) {
                        f.complete(message);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }

    /** Sends a DevTools command and waits for its result; a protocol error fails. */
    JsonNode call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
        JsonNode reply = f.orTimeout(60, TimeUnit.SECONDS).join();
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    void navigate(String url) {
        call("Page.navigate", Map.of("url", url));
    }

    /** Evaluates a JavaScript expression in the page and returns its JSON value. */
    JsonNode eval(String expression) {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page script failed: " + result.get("exceptionDetails"));
        }
        return result.get("result").get("value");
    }

    /** Polls {@code condition} (a JS expression) until it is true. */
    void waitFor(String condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode v = eval("Boolean(" + condition + ")");
            if (v != null && v.asBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("page never satisfied: " + condition);
    }

    /** Types into the focused element as a user would (input events fire). */
    void type(String text) {
        call("Input.insertText", Map.of("text", text));
    }

    void pressEnter() {
        Map<String, Object> key = Map.of("key", "Enter", "code", "Enter", "windowsVirtualKeyCode", 13, "nativeVirtualKeyCode", 13);
        java.util.HashMap<String, Object> down = new java.util.HashMap<>(key);
        down.put("type", "keyDown");
        down.put("text", "\r");
        call("Input.dispatchKeyEvent", down);
        java.util.HashMap<String, Object> up = new java.util.HashMap<>(key);
        up.put("type", "keyUp");
        call("Input.dispatchKeyEvent", up);
    }

    void screenshot(Path file) throws IOException {
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").stringValue()));
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.abort();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteProfile();
    }

    /**
     * Chromium's helper processes (network service, crash handler) outlive the browser process by a
     * moment and still create and rename files in the profile, so a walk can meet a file that is gone
     * by the time it is visited (an UncheckedIOException from the stream, not an IOException): retry a
     * few times, then leave what is left to the OS's temp cleaning rather than fail the test.
     */
    private void deleteProfile() {
        for (int attempt = 0; attempt < 5 && Files.exists(profile); attempt++) {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
