package dev.lsr.eval.service;

import dev.lsr.eval.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code lsr serve} the benchmark starts itself: a child JVM running the api jar on a free port
 * with a data directory of the benchmark's choosing, its output in a log file, stopped gracefully
 * (SIGTERM, as an operator would) when the benchmark ends.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The JVM flags the {@code lsr} launcher gives the service. */
    static final List<String> LAUNCHER_FLAGS =
            List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC");

    /**
     * @param launch the command before the service's own arguments ({@code java <flags> -jar lsr-api.jar},
     *     or any other way to run {@code dev.lsr.api.LsrApplication})
     * @param serveArgs extra service options, e.g. {@code --lsr.default-model=...}
     */
    public record Settings(List<String> launch, Path dataDir, List<String> serveArgs, Path log, Duration readyTimeout) {}

    private final Process process;
    private final URI url;
    private final Path log;

    private ServiceProcess(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** The launch command for an api jar, run by this JVM's java with the launcher's flags and {@code jvmOptions}. */
    public static List<String> jarLaunch(Path apiJar, List<String> jvmOptions) {
        if (!Files.isRegularFile(apiJar)) {
            throw new ExitCodes.BadInputException("no service jar at " + apiJar + " (run ./lsr build, or give --serve-jar or --url)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(LAUNCHER_FLAGS);
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(apiJar.toString());
        return cmd;
    }

    /** Starts the service and waits until {@code /actuator/health/readiness} is UP (model loaded). */
    public static ServiceProcess start(Settings s, PrintStream err) throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(s.dataDir());
        List<String> cmd = new ArrayList<>(s.launch());
        cmd.add("--port=" + port);
        cmd.add("--data=" + s.dataDir().toAbsolutePath());
        cmd.addAll(s.serveArgs());
        Path parent = s.log().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(s.log().toFile()).start();
        URI url = URI.create("http://127.0.0.1:" + port);
        ServiceProcess sp = new ServiceProcess(p, url, s.log());
        err.printf("bench service: started lsr serve (pid %d) on %s, data %s, log %s%n", p.pid(), url, s.dataDir(), s.log());
        try {
            sp.awaitReady(s.readyTimeout(), err);
        } catch (RuntimeException | InterruptedException e) {
            sp.close();
            throw e;
        }
        return sp;
    }

    public URI url() {
        return url;
    }

    private void awaitReady(Duration timeout, PrintStream err) throws InterruptedException {
        ServiceClient probe = new ServiceClient(url, null, Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String why = "lsr serve exited with code " + process.exitValue() + " before it was ready: " + reason() + " (log " + log + ")";
                // Exit 2 is a start refused by a setting (its data directory in use, a model that is
                // not there): the bench's input, not its failure.
                throw process.exitValue() == 2 ? new ExitCodes.BadInputException(why) : new ServiceClient.ServiceException(why);
            }
            try {
                if (probe.get("/actuator/health/readiness").status() == 200) {
                    err.printf("bench service: ready after %.1f s%n", (System.nanoTime() - t0) / 1e9);
                    return;
                }
            } catch (ExitCodes.BadInputException | ServiceClient.ServiceException notListeningYet) {
                // the web server is not up yet: keep polling
            }
            Thread.sleep(250);
        }
        throw new ServiceClient.ServiceException("lsr serve was not ready after " + timeout.toSeconds() + " s; log " + log);
    }

    /**
     * Why the service stopped: the description and action of Spring Boot's "APPLICATION FAILED TO
     * START" report when the log has one, else the log's last line.
     */
    private String reason() {
        try {
            List<String> lines = Files.readAllLines(log);
            String description = after(lines, "Description:");
            if (description != null) {
                String action = after(lines, "Action:");
                return description + (action == null ? "" : " " + action);
            }
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "(empty log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The first non-blank line after the line {@code heading}, or null. */
    private static String after(List<String> lines, String heading) {
        int at = lines.indexOf(heading);
        for (int i = at + 1; at >= 0 && i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return null;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port: " + e.getMessage(), e);
        }
    }

    /**
     * SIGTERM (the service commits and stops its jobs), then a forced kill after 90 s. Interrupted
     * while waiting, it kills at once and keeps the interrupt: a closed ServiceProcess never leaves
     * its service running.
     */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
