package dev.lsr.api.config;

import dev.lsr.api.models.Encoders;
import dev.lsr.index.Collection;
import dev.lsr.index.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Loads the default model (importing it on first start) and opens every collection with its
 * model. Runs after the web server is up and before Spring publishes readiness, so
 * {@code /actuator/health/readiness} stays OUT_OF_SERVICE until everything is loaded.
 */
@Component
final class Startup implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

    private final LsrProperties properties;
    private final Encoders encoders;
    private final Collections collections;

    Startup(LsrProperties properties, Encoders encoders, Collections collections) {
        this.properties = properties;
        this.encoders = encoders;
        this.collections = collections;
    }

    @Override
    public void run(ApplicationArguments args) {
        LOG.info("data directory {}", properties.dataDir().toAbsolutePath());
        if (properties.hasDefaultModel()) {
            String name = encoders.resolve(properties.defaultModel());
            encoders.get(name);
            LOG.info("default model '{}' ready", name);
        } else {
            LOG.info("no default model (lsr.default-model=none): collections take vectors only unless they name a model");
        }
        for (String name : collections.list()) {
            try {
                Collection c = collections.get(name);
                if (c.settings().model() != null) {
                    encoders.get(c.settings().model());
                }
                LOG.info("collection '{}' open: {} documents", name, c.stats().docs());
            } catch (RuntimeException e) {
                // One unreadable collection must not keep the others offline; its requests report the error.
                LOG.error("collection '{}' could not be opened: {}", name, e.getMessage());
            }
        }
    }
}
