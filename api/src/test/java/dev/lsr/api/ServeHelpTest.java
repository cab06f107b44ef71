package dev.lsr.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.config.LsrProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code lsr serve --help} prints the options and returns without starting the service; its defaults are the code's. */
class ServeHelpTest {

    @Test
    void helpPrintsTheOptionsAndStartsNothing() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            LsrApplication.main(new String[] {"--port", Integer.toString(port), "--help"});
        } finally {
            System.setOut(old);
        }
        String help = buf.toString(StandardCharsets.UTF_8);
        assertThat(help).startsWith("Usage: lsr serve").contains("--port P", "--data DIR", "--lsr.default-model=M", "--help");
        try (Socket s = new Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(new InetSocketAddress("localhost", port), 500))
                    .as("no server listens after --help").isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void everyPropertyIsListedWithTheDefaultTheCodeHas() {
        String help = ServeHelp.text();
        check(help, "lsr.", LsrProperties.class);
    }

    private static void check(String help, String prefix, Class<?> record) {
        RecordComponent[] components = record.getRecordComponents();
        java.lang.reflect.Parameter[] params;
        try {
            // @DefaultValue targets parameters: it sits on the canonical constructor's, not on the component.
            params = record.getDeclaredConstructor(java.util.Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).getParameters();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String name = prefix + kebab(c.getName());
            if (c.getType().isRecord()) {
                check(help, name + ".", c.getType());
                continue;
            }
            if (name.equals("lsr.data-dir")) {
                assertThat(help).contains("--data DIR").contains("--lsr.data-dir=DIR").contains("(default: data)");
                continue;
            }
            String line = help.lines().filter(l -> l.strip().startsWith("--" + name + "=")).findFirst().orElse(null);
            assertThat(line).as("--help lists --%s", name).isNotNull();
            DefaultValue d = params[i].getAnnotation(DefaultValue.class);
            if (d != null && d.value().length > 0) {
                assertThat(line).as("default of %s", name).endsWith("(default: " + d.value()[0] + ")");
            } else {
                assertThat(line).as("%s has no default", name).doesNotContain("(default:");
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
