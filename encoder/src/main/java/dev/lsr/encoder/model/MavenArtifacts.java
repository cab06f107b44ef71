package dev.lsr.encoder.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a Maven artifact in the local repository ({@code -Dmaven.repo.local}, else {@code ~/.m2/repository}),
 * downloading it once into that layout when absent ({@link ArtifactDownload}; never downloaded twice).
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

    /**
     * The jar of {@code coords}: from the local repository when it is there, else downloaded
     * in-process from {@link ArtifactDownload#configuredRepository()} into the local repository's
     * layout (SHA-1 checked, resumable, with a byte progress bar). No Maven installation is needed.
     */
    public static Path resolve(String coords, ImportProgress progress) throws IOException {
        Path jar = local(coords);
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        String[] p = coords.split(":");
        ArtifactDownload download = new ArtifactDownload(ArtifactDownload.configuredRepository());
        String url = download.url(p[0], p[1], p[2], p[1] + "-" + p[2] + ".jar");
        return download.fetch(url, jar, "downloading " + p[1] + "-" + p[2] + ".jar", progress);
    }
}
