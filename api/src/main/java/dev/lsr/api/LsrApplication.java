package dev.lsr.api;

import dev.lsr.api.config.StartupFailures;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The search service that {@code lsr serve [--port P] [--data DIR]} starts. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LsrApplication {

    public static void main(String[] args) {
        if (ServeHelp.requested(args)) {
            System.out.print(ServeHelp.text());
            return;
        }
        try {
            SpringApplication.run(LsrApplication.class, springArgs(args));
        } catch (RuntimeException e) {
            if (StartupFailures.isBadSetting(e)) {
                // Spring Boot has printed what is wrong and what to do (StartupFailures); a refused
                // setting is bad input, exit 2 as every lsr verb.
                System.exit(2);
            }
            throw e;
        }
    }

    /**
     * The launcher's short options as Spring properties: {@code --port P} is {@code server.port},
     * {@code --data DIR} is {@code lsr.data-dir}; anything else (e.g. {@code --lsr.api-key=...}) passes through.
     */
    static String[] springArgs(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String mapped = switch (a) {
                case "--port" -> "--server.port=";
                case "--data" -> "--lsr.data-dir=";
                default -> null;
            };
            if (mapped != null) {
                if (i + 1 >= args.length) {
                    System.err.println("lsr serve: " + a + " needs a value");
                    System.exit(2);
                }
                out.add(mapped + args[++i]);
            } else if (a.startsWith("--port=")) {
                out.add("--server.port=" + a.substring("--port=".length()));
            } else if (a.startsWith("--data=")) {
                out.add("--lsr.data-dir=" + a.substring("--data=".length()));
            } else {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }
}
