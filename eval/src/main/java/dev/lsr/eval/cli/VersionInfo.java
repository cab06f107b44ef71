package dev.lsr.eval.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine;

/**
 * {@code lsr --version}: the build's version (from the pom, so a release's {@code versions:set}
 * changes it), the JVM, and the float vector width the head kernels run at on this CPU, the
 * three facts a benchmark number or a bug report needs.
 */
public final class VersionInfo implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "lsr " + buildVersion(),
            "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "unknown vendor") + ")",
            "vector width " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits ("
                    + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores)"
        };
    }

    /** The project version this build was made from. */
    public static String buildVersion() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
