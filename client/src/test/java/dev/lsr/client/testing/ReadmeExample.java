package dev.lsr.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles the java example marked {@code <!-- example ... -->} in a module's README.md against
 * the test class path and runs its {@code main}, returning what it printed (as index's
 * ReadmeExampleTest does for index/README.md).
 */
public final class ReadmeExample {

    private static final Pattern LOG_LINE = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}T\\S+\\s+|\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\[[^\\]]*\\] )(TRACE|DEBUG|INFO|WARN|ERROR)\\s");

    private ReadmeExample() {}

    /** @param maxLines the example's size limit, imports and blank lines not counted */
    public static List<String> run(Path readme, Path workDir, int maxLines, String... args) throws Exception {
        String text = Files.readString(readme);
        Matcher m = Pattern.compile("<!-- example[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as(readme + " has the marked java example").isTrue();
        String code = m.group(1);
        assertThat(code.lines().filter(l -> !l.isBlank() && !l.startsWith("import")).count())
                .as("example body stays small").isLessThanOrEqualTo(maxLines);
        Path src = workDir.resolve("src/Example.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, code);
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-cp", System.getProperty("java.class.path"),
                "-d", classes.toString(), src.toString());
        assertThat(rc).as("javac: " + diagnostics.toString(StandardCharsets.UTF_8)).isZero();
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ReadmeExample.class.getClassLoader())) {
            Matcher pkg = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE).matcher(code);
            String className = pkg.find() ? pkg.group(1) + ".Example" : "Example";
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) args);
        } catch (IOException e) {
            throw e;
        } finally {
            System.setOut(original);
        }
        // Logging (an in-process server's, the engine's) shares System.out: keep what the example printed.
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> !LOG_LINE.matcher(l).find()).toList();
    }
}
