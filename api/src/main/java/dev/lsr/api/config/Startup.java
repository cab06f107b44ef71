package dev.lsr.api.config;

import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
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
    private final Engine engine;

    Startup(LsrProperties properties, Engine engine) {
        this.properties = properties;
        this.engine = engine;
    }

    @Override
    public void run(ApplicationArguments args) {
        LOG.info("data directory {}", properties.dataDir().toAbsolutePath());
        if (properties.hasDefaultModel()) {
            engine.encoder(null);
            LOG.info("default model '{}' ready", engine.defaultModel());
        } else {
            LOG.info("no default model (lsr.default-model=none): collections take vectors only unless they name a model");
        }
        for (String name : engine.names()) {
            try {
                EngineCollection c = engine.collection(name);
                LOG.info("collection '{}' open: {} documents", name, c.stats().docs());
            } catch (RuntimeException e) {
                // One unreadable collection must not keep the others offline; its requests report the error.
                LOG.error("collection '{}' could not be opened: {}", name, e.getMessage());
            }
        }
    }
}
