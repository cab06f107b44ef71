package dev.lsr.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process checkpoint download against a real HTTP server on a random port: it resumes an
 * interrupted transfer with a Range request, rejects a file whose SHA-1 does not match, and fails
 * with one line when the repository is unreachable.
 */
class ArtifactDownloadTest {

    @TempDir
    Path tmp;

    HttpServer server;
    byte[] jar;
    volatile byte[] served;
    final AtomicBoolean cutFirstTransfer = new AtomicBoolean();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final List<long[]> progress = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        jar = new byte[300_000];
        new Random(7).nextBytes(jar);
        served = jar;
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(jar));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String path = "/maven2/com/example/models/ckpt/1.0/ckpt-1.0.jar";
        server.createContext(path + ".sha1", ex -> respond(ex, 200, (sha1 + "  ckpt-1.0.jar\n").getBytes(StandardCharsets.US_ASCII)));
        server.createContext(path, this::serveJar);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serveJar(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().endsWith(".jar")) {
            respond(ex, 404, new byte[0]);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "none" : range);
        byte[] body = served;
        int from = 0;
        int status = 200;
        if (range != null) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            status = 206;
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        ex.sendResponseHeaders(status, body.length - from);
        OutputStream out = ex.getResponseBody();
        if (cutFirstTransfer.compareAndSet(true, false)) {
            // Half the file, then the connection drops: the client sees a short body.
            out.write(body, from, (body.length - from) / 2);
            out.flush();
            ex.close();
            return;
        }
        out.write(body, from, body.length - from);
        out.close();
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private String repo() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2";
    }

    private Path fetch(ArtifactDownload d, Path target) throws IOException {
        return d.fetch(d.url("com.example.models", "ckpt", "1.0", "ckpt-1.0.jar"), target, "downloading ckpt-1.0.jar",
                (step, done, total) -> progress.add(new long[] {done, total}));
    }

    @Test
    void downloadsAndChecksTheFile() throws IOException {
        Path target = tmp.resolve("repo/ckpt-1.0.jar");
        assertThat(fetch(new ArtifactDownload(repo()), target)).isEqualTo(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(jar);
        assertThat(Files.exists(target.resolveSibling("ckpt-1.0.jar.part"))).isFalse();
        assertThat(progress.getLast()).containsExactly(jar.length, jar.length);
        assertThat(progress).allSatisfy(p -> assertThat(p[1]).isEqualTo(jar.length));
        // there already: no second request
        fetch(new ArtifactDownload(repo()), target);
        assertThat(ranges).hasSize(1);
    }

    @Test
    void resumesAnInterruptedTransfer() throws IOException {
        Path target = tmp.resolve("ckpt-1.0.jar");
        cutFirstTransfer.set(true);
        assertThatThrownBy(() -> fetch(new ArtifactDownload(repo()), target))
                .isInstanceOf(IOException.class).hasMessageContaining("interrupted after").hasMessageContaining("run again to resume");
        Path part = tmp.resolve("ckpt-1.0.jar.part");
        long partial = Files.size(part);
        assertThat(partial).isPositive().isLessThan(jar.length);
        assertThat(Files.exists(target)).isFalse();

        fetch(new ArtifactDownload(repo()), target);
        assertThat(ranges).containsExactly("none", "bytes=" + partial + "-");
        assertThat(Files.readAllBytes(target)).isEqualTo(jar);
        assertThat(progress.getLast()).containsExactly(jar.length, jar.length);
    }

    @Test
    void rejectsACorruptedFile() throws IOException {
        Path target = tmp.resolve("ckpt-1.0.jar");
        byte[] corrupted = jar.clone();
        corrupted[1234] ^= 1;
        served = corrupted;
        assertThatThrownBy(() -> fetch(new ArtifactDownload(repo()), target))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("SHA-1").hasMessageContaining("deleted");
        assertThat(Files.exists(target)).isFalse();
        assertThat(Files.exists(tmp.resolve("ckpt-1.0.jar.part"))).isFalse();
        // the repository fixed: the next run downloads anew and succeeds
        served = jar;
        fetch(new ArtifactDownload(repo()), target);
        assertThat(Files.readAllBytes(target)).isEqualTo(jar);
    }

    @Test
    void anUnreachableRepositoryIsOneClearLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ArtifactDownload d = new ArtifactDownload("http://127.0.0.1:" + port + "/maven2");
        assertThatThrownBy(() -> fetch(d, tmp.resolve("x.jar")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach http://127.0.0.1:" + port + "/maven2/com/example/models/ckpt/1.0/ckpt-1.0.jar.sha1")
                .hasMessageContaining("lsr.maven.repository")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void mavenArtifactsDownloadsIntoTheLocalRepositoryLayout() throws IOException {
        String old = System.getProperty("maven.repo.local");
        String oldRepo = System.getProperty("lsr.maven.repository");
        System.setProperty("maven.repo.local", tmp.resolve("m2").toString());
        System.setProperty("lsr.maven.repository", repo());
        try {
            Path jarPath = MavenArtifacts.resolve("com.example.models:ckpt:1.0", ImportProgress.NONE);
            assertThat(jarPath).isEqualTo(tmp.resolve("m2/com/example/models/ckpt/1.0/ckpt-1.0.jar"));
            assertThat(Files.readAllBytes(jarPath)).isEqualTo(jar);
        } finally {
            restore("maven.repo.local", old);
            restore("lsr.maven.repository", oldRepo);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
