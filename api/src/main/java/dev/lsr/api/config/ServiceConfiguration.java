package dev.lsr.api.config;

import dev.lsr.api.jobs.Jobs;
import dev.lsr.api.models.ConsoleImportProgress;
import dev.lsr.api.service.IndexingService;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The long-lived pieces. Spring closes them in reverse order of creation at shutdown (after the
 * web server has drained in-flight requests): jobs finish (or stop at a chunk and resume at the next
 * start), then the engine commits and closes every collection and releases the models. Jobs
 * journalled before a restart are queued again as soon as the job runner exists.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceConfiguration {

    /** Taken before the engine opens and, as the engine depends on it, released after it closes. */
    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(LsrProperties properties) {
        return DataDirectoryLock.acquire(properties.dataDir());
    }

    @Bean(destroyMethod = "close")
    Engine engine(LsrProperties properties, DataDirectoryLock lock) {
        EngineOptions options = new EngineOptions(properties.hasDefaultModel() ? properties.defaultModel() : null,
                properties.encoderThreads(), properties.centringFitDocs(), new ConsoleImportProgress(),
                properties.searchThreads(), properties.commitIntervalMs());
        return Engine.open(properties.dataDir(), options);
    }

    @Bean(destroyMethod = "close")
    Jobs jobs(IndexingService indexing, Engine engine, JsonMapper json, LsrProperties properties, MeterRegistry meters) {
        Jobs jobs = new Jobs(indexing, engine, json, properties, meters);
        jobs.resume();
        return jobs;
    }
}
