package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example is compiled against the module and run, exactly as printed. */
class ReadmeExampleTest {

    @TempDir
    Path tmp;

    @Test
    void readmeExampleCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("<!-- example[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README.md has the marked java example").isTrue();
        String code = m.group(1);
        assertThat(code.lines().filter(l -> !l.isBlank() && !l.startsWith("import")).count())
                .as("example body stays small").isLessThanOrEqualTo(20);

        Path src = tmp.resolve("src/Example.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, code);
        Path classes = tmp.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-cp", System.getProperty("java.class.path"),
                "-d", classes.toString(), src.toString());
        assertThat(rc).as("javac: " + diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("Example").getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {tmp.resolve("data").toString()});
        } finally {
            System.setOut(original);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        // 1.5*1.5 + 0.7*0.7 = 2.74, explained by two terms, the larger first.
        assertThat(lines.get(0)).startsWith("a1 2.74").contains("termId=2054").contains("termId=4248");
        assertThat(lines.get(0).indexOf("2054")).isLessThan(lines.get(0).indexOf("4248"));
    }
}
