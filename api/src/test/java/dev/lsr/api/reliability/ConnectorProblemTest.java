package dev.lsr.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * URLs that Tomcat's connector refuses before any servlet runs (an encoded NUL or backslash, a
 * broken percent escape) are still answered with an RFC 9457 problem, not Tomcat's HTML page.
 */
class ConnectorProblemTest extends ApiTestBase {

    @Test
    void refusedUrlsGetAProblemBody() {
        for (String path : List.of("/collections/victim/documents/%00", "/collections/x%00y", "/collections/..%5C..%5Cwin/stats",
                "/collections/a%5Cb/search")) {
            Reply r = send(path.endsWith("search") ? "POST" : "GET", path, "application/json", path.endsWith("search") ? "{}" : null, true);
            assertThat(r.status()).as("status of %s: %s", path, r.body()).isEqualTo(400);
            assertThat(r.contentType()).as("content type for %s", path).startsWith("application/problem+json");
            assertThat(r.json().get("status").intValue()).isEqualTo(400);
            assertThat(r.json().get("title").stringValue()).isEqualTo("Bad Request");
        }
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    /** A percent escape that is not one ({@code %zz}) cannot even be sent by java.net.http, so: a raw socket. */
    @Test
    void brokenPercentEscapeOverARawSocketGetsAProblemBody() throws IOException {
        for (String target : List.of("/collections/%zz", "/collections/x%00y/stats", "/collections/%C0%AE%C0%AE/stats")) {
            String reply = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String head = reply.substring(0, reply.indexOf("\r\n\r\n"));
            String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
            assertThat(head).as("reply to %s", target).startsWith("HTTP/1.1 4");
            assertThat(head.toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/problem+json");
            JsonNode json = JSON.readTree(body.startsWith("{") ? body : body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
            assertThat(json.get("status").intValue()).isBetween(400, 499);
        }
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
