package dev.lsr.api;

import java.nio.file.Path;
import java.util.List;

/** The command that starts {@code lsr serve} in a child JVM on this test JVM's classpath (C1 only: it starts faster). */
public final class ChildService {
    private ChildService() {}

    /** {@code java ... dev.lsr.api.LsrApplication}, the service's own arguments to follow. */
    public static List<String> launch(String maxHeap) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LsrApplication.class.getName());
    }
}
