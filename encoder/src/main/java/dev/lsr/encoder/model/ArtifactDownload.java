package dev.lsr.encoder.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Downloads one file of a Maven repository over HTTP(S), in-process: the expected SHA-1 from the
 * repository's {@code .sha1} file first, then the file into {@code <target>.part}, resumed with a
 * {@code Range} request when a part is there from an interrupted run, then checked and renamed into
 * place. A checksum mismatch deletes the part and fails; an unreachable repository fails with one
 * line naming the URL and what to do.
 */
public final class ArtifactDownload {

    /** Maven Central. */
    public static final String CENTRAL = "https://repo.maven.apache.org/maven2";
    private static final int BUFFER = 1 << 16;

    private final String repository;
    private final HttpClient http;

    /** @param repository the repository's base URL (e.g. {@link #CENTRAL}), no trailing slash needed */
    public ArtifactDownload(String repository) {
        this.repository = repository.endsWith("/") ? repository.substring(0, repository.length() - 1) : repository;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
    }

    /** The repository of {@code -Dlsr.maven.repository}, else {@code $LSR_MAVEN_REPOSITORY}, else {@link #CENTRAL}. */
    public static String configuredRepository() {
        String p = System.getProperty("lsr.maven.repository");
        if (p != null && !p.isBlank()) {
            return p;
        }
        String env = System.getenv("LSR_MAVEN_REPOSITORY");
        return env != null && !env.isBlank() ? env : CENTRAL;
    }

    /** The URL of a file in the repository: {@code group/path/artifact/version/name}. */
    public String url(String group, String artifact, String version, String name) {
        return repository + "/" + group.replace('.', '/') + "/" + artifact + "/" + version + "/" + name;
    }

    /**
     * Fetches {@code url} into {@code target} (nothing to do when it is there).
     *
     * @param step the progress bar's label
     * @throws ModelFormatException when the checksum does not match (the part is deleted)
     * @throws IOException with one line when the repository cannot be reached or answers an error
     */
    public Path fetch(String url, Path target, String step, ImportProgress progress) throws IOException {
        if (Files.isRegularFile(target)) {
            return target;
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        String expected = expectedSha1(url);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> r = send(req.build(), url);
        try (InputStream in = r.body()) {
            boolean resumed = have > 0 && r.statusCode() == 206;
            if (r.statusCode() == 416 && have > 0) {
                // The part is complete already (or longer than the file): the checksum decides below.
                resumed = true;
            } else if (r.statusCode() != 200 && r.statusCode() != 206) {
                throw new IOException(url + ": HTTP " + r.statusCode() + " from the repository");
            }
            if (!resumed) {
                have = 0;
            }
            long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            long total = length < 0 || r.statusCode() == 416 ? -1 : have + length;
            if (r.statusCode() != 416) {
                try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                    byte[] buf = new byte[BUFFER];
                    long done = have;
                    progress.update(step, done, total);
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        done += n;
                        progress.update(step, done, total);
                    }
                }
            }
        } catch (IOException e) {
            throw new IOException("download of " + url + " interrupted after " + (Files.isRegularFile(part) ? Files.size(part) : 0)
                    + " bytes (" + oneLine(e) + "); run again to resume", e);
        }
        String actual = sha1(part);
        if (!actual.equals(expected)) {
            Files.deleteIfExists(part);
            throw new ModelFormatException(url + ": SHA-1 of the download is " + actual + " but the repository says " + expected
                    + "; the corrupted file was deleted, run again to download it anew");
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long size = Files.size(target);
        progress.update(step, size, size);
        return target;
    }

    private String expectedSha1(String url) throws IOException {
        HttpResponse<InputStream> r = send(HttpRequest.newBuilder(URI.create(url + ".sha1")).timeout(Duration.ofSeconds(60)).GET().build(), url + ".sha1");
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
        }
        if (r.statusCode() != 200) {
            throw new IOException(url + ".sha1: HTTP " + r.statusCode() + " from the repository");
        }
        // Some repositories write "<sha1>  <file name>".
        String sha = body.split("\\s+")[0].toLowerCase(Locale.ROOT);
        if (!sha.matches("[0-9a-f]{40}")) {
            throw new IOException(url + ".sha1: not a SHA-1 checksum: '" + body.substring(0, Math.min(80, body.length())) + "'");
        }
        return sha;
    }

    private HttpResponse<InputStream> send(HttpRequest request, String url) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
            throw new IOException("cannot reach " + url + " (" + oneLine(e) + "): offline? Set -Dlsr.maven.repository or "
                    + "LSR_MAVEN_REPOSITORY to a reachable Maven repository, or put the file in the local Maven repository", e);
        } catch (HttpTimeoutException e) {
            throw new IOException(url + ": the repository did not answer in time (" + oneLine(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + url, e);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    static String sha1(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
