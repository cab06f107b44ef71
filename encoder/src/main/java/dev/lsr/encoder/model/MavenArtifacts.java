package dev.lsr.encoder.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds a Maven artifact in the local repository, fetching it once with {@code mvn dependency:get}
 * when absent (so the usual Maven settings, mirrors and cache apply; never downloaded twice).
 */
public final class MavenArtifacts {

    private MavenArtifacts() {}

    public static Path localRepository() {
        String prop = System.getProperty("maven.repo.local");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** @param coords {@code group:artifact:version} (a jar) */
    public static Path local(String coords) throws ModelFormatException {
        String[] p = coords.split(":");
        if (p.length != 3 || p[0].isBlank() || p[1].isBlank() || p[2].isBlank()) {
            throw new ModelFormatException("'" + coords + "': expected maven:group:artifact:version");
        }
        return localRepository().resolve(p[0].replace('.', '/')).resolve(p[1]).resolve(p[2]).resolve(p[1] + "-" + p[2] + ".jar");
    }

    public static Path resolve(String coords, ImportProgress progress) throws IOException {
        Path jar = local(coords);
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        progress.update("downloading " + coords + " with mvn", 0, 1);
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "dependency:get", "-Dartifact=" + coords, "-Dtransitive=false"));
        if (System.getProperty("maven.repo.local") != null) {
            cmd.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
        }
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!proc.waitFor(60, TimeUnit.MINUTES) || proc.exitValue() != 0) {
                proc.destroy();
                throw new ModelFormatException("could not fetch " + coords + " with '" + String.join(" ", cmd) + "' (exit "
                        + (proc.isAlive() ? "timeout" : proc.exitValue()) + ")");
            }
        } catch (InterruptedException e) {
            proc.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + coords, e);
        }
        if (!Files.isRegularFile(jar)) {
            throw new ModelFormatException("mvn dependency:get finished but " + jar + " is absent");
        }
        progress.update("downloading " + coords + " with mvn", 1, 1);
        return jar;
    }
}
