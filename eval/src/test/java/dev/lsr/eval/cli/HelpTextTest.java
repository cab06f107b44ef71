package dev.lsr.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every verb's {@code --help} renders as written: picocli formats descriptions with
 * {@code String.format}, so a bare {@code %} (as "0.1%") makes it print a warning on stderr and
 * show the raw text instead.
 */
class HelpTextTest {

    @Test
    void everyVerbsHelpFormatsWithoutPicocliWarnings() {
        List<CommandLine> verbs = new ArrayList<>();
        collect(new CommandLine(new Main()), verbs);
        assertThat(verbs).hasSizeGreaterThan(10);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> usages = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (CommandLine verb : verbs) {
                usages.add(verb.getUsageMessage(CommandLine.Help.Ansi.OFF));
            }
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(String.join("\\n", usages)).contains("0.1%, 1%, 5%").doesNotContain("%%");
    }

    @Test
    void versionNamesThePomsVersionTheJvmAndTheVectorWidth() throws Exception {
        // The version the pom gives (a release's versions:set changes it), not a string in the code.
        String pom = java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml"));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<parent>.*?<version>([^<]+)</version>", java.util.regex.Pattern.DOTALL).matcher(pom);
        assertThat(m.find()).isTrue();
        List<String> expected = List.of(
                "lsr " + m.group(1),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
                "vector width " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits ("
                        + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores)");
        // Every verb's --version too (picocli printed an empty line for a verb without its own).
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"encode", "--version"},
                new String[] {"bench", "seismic", "-V"})) {
            PrintStream old = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                code = Main.run(args);
            } finally {
                System.setOut(old);
            }
            assertThat(code).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).as(String.join(" ", args)).isEqualTo(expected);
        }
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, out));
    }
}
