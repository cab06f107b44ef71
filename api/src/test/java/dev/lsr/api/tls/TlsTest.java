package dev.lsr.api.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.LsrApplication;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * TLS through a Spring SSL bundle, as api/README.md documents it: a self-signed certificate made
 * here with the JDK's keytool, the service started with {@code server.ssl.bundle} pointing at it, a
 * client that trusts exactly that certificate makes a round trip (create, add, search), and a
 * client with the default trust store is refused in the handshake.
 */
class TlsTest {

    @TempDir
    Path tmp;

    @Test
    void roundTripOverTlsWithASelfSignedCertificate() throws Exception {
        Path keystore = tmp.resolve("lsr.p12");
        String password = "changeit-test";
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "lsr", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        ConfigurableApplicationContext service = new SpringApplicationBuilder(LsrApplication.class).run("--server.port=0",
                "--lsr.data-dir=" + tmp.resolve("data"), "--lsr.default-model=none", "--spring.jmx.enabled=false",
                "--spring.ssl.bundle.jks.lsr.keystore.location=file:" + keystore,
                "--spring.ssl.bundle.jks.lsr.keystore.password=" + password,
                "--spring.ssl.bundle.jks.lsr.keystore.type=PKCS12",
                "--server.ssl.bundle=lsr");
        try {
            int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trust.load(in, password.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
            String base = "https://localhost:" + port;
            assertThat(send(client, "PUT", base + "/collections/tls", "{\"model\": null, \"dim\": 10}").statusCode()).isEqualTo(201);
            assertThat(send(client, "POST", base + "/collections/tls/documents?refresh=true",
                    "[{\"id\": \"a\", \"vector\": {\"indices\": [1], \"values\": [2]}}]").statusCode()).isEqualTo(200);
            HttpResponse<String> hits = send(client, "POST", base + "/collections/tls/search",
                    "{\"vector\": {\"indices\": [1], \"values\": [1]}, \"mode\": \"exact\"}");
            assertThat(hits.statusCode()).isEqualTo(200);
            assertThat(hits.body()).contains("\"id\":\"a\"");
            // The default trust store does not know the self-signed certificate: refused in the handshake.
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            try {
                send(untrusting, "GET", base + "/collections", null);
                throw new AssertionError("a client that does not trust the certificate got an answer");
            } catch (java.io.IOException refused) {
                Throwable t = refused;
                while (t != null && !(t instanceof SSLHandshakeException)) {
                    t = t.getCause();
                }
                assertThat(t).as("refused in the TLS handshake: %s", refused).isInstanceOf(SSLHandshakeException.class);
            }
            System.out.println("TlsTest: round trip over TLS (self-signed EC certificate, Spring SSL bundle 'lsr') on port " + port);
        } finally {
            service.close();
        }
    }

    private static HttpResponse<String> send(HttpClient client, String method, String uri, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
