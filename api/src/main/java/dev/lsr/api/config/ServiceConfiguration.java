package dev.lsr.api.config;

import dev.lsr.api.jobs.Jobs;
import dev.lsr.api.models.ConsoleImportProgress;
import dev.lsr.api.models.Encoders;
import dev.lsr.encoder.model.ModelRegistry;
import dev.lsr.api.service.IndexingService;
import dev.lsr.index.Collections;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The long-lived pieces. Spring closes them in reverse order of creation at shutdown (after the
 * web server has drained in-flight requests): jobs finish, then every collection commits and closes,
 * then the models are released.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceConfiguration {

    @Bean(destroyMethod = "close")
    Encoders encoders(LsrProperties properties) {
        return new Encoders(new ModelRegistry(properties.dataDir(), new ConsoleImportProgress()), properties.encoderThreads());
    }

    @Bean(destroyMethod = "close")
    Collections collections(LsrProperties properties) {
        return Collections.open(properties.dataDir());
    }

    @Bean(destroyMethod = "close")
    Jobs jobs(IndexingService indexing, LsrProperties properties) {
        return new Jobs(indexing, properties.jobs());
    }
}
