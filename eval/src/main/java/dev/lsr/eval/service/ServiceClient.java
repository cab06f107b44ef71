package dev.lsr.eval.service;

import dev.lsr.eval.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark's view of a running lsr service: plain HTTP/1.1 JSON calls on a kept-alive
 * connection, as a single client would make them. {@link #send} also returns the client-side time
 * from sending the request to having read the whole body, which is the latency the benchmark reports.
 */
public final class ServiceClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One answer: status, body, the body parsed when it is JSON (else null), and the client-side time. */
    public record Reply(int status, String body, JsonNode json, long nanos) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The problem-detail {@code detail} when there is one, else the body, on one line. */
        String detail() {
            if (json != null && json.has("detail")) {
                return json.get("detail").asString();
            }
            String b = body == null ? "" : body.replace('\n', ' ');
            return b.length() > 300 ? b.substring(0, 300) + "..." : b;
        }
    }

    private final URI base;
    private final String apiKey;
    private final Duration timeout;

    /** @param apiKey sent as {@code Authorization: Bearer} when not null (the service's write key) */
    public ServiceClient(URI base, String apiKey, Duration timeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    public URI base() {
        return base;
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Reply post(String path, Object body) {
        return send("POST", path, body);
    }

    /**
     * A call; a body that is not a String is written as JSON. Unreachable service: bad input (exit 2).
     * {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: it sends and reads on the
     * calling thread over a kept-alive connection, where the asynchronous client hands each exchange
     * between threads, which on a loaded 2-core machine added several milliseconds per request.
     */
    public Reply send(String method, String path, Object body) {
        return send(method, path, body, timeout);
    }

    /** A call with its own read timeout (a synchronous batch of documents is encoded inside its request). */
    public Reply send(String method, String path, Object body, Duration readTimeout) {
        HttpURLConnection c;
        try {
            byte[] out = body == null ? null
                    : (body instanceof String s ? s : JSON.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(10_000);
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            if (apiKey != null) {
                c.setRequestProperty("Authorization", "Bearer " + apiKey);
            }
            if (out != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(out.length);
                try (OutputStream os = c.getOutputStream()) {
                    os.write(out);
                }
            }
            int status = c.getResponseCode();
            byte[] in;
            try (InputStream is = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                in = is == null ? new byte[0] : is.readAllBytes();
            }
            long nanos = System.nanoTime() - t0;
            String text = new String(in, StandardCharsets.UTF_8);
            String type = c.getContentType() == null ? "" : c.getContentType();
            JsonNode json = type.contains("json") && !text.isEmpty() ? JSON.readTree(text) : null;
            return new Reply(status, text, json, nanos);
        } catch (ConnectException e) {
            throw new ExitCodes.BadInputException("cannot connect to the service at " + base + " (" + method + " " + path + ")", e);
        } catch (IOException e) {
            throw new ServiceException(method + " " + base + path + " failed: " + e, e);
        }
    }

    /** The service answered something the benchmark cannot go on with (not the user's input). */
    public static final class ServiceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ServiceException(String message) {
            super(message);
        }

        public ServiceException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
