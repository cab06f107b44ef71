package dev.lsr.api.jobs;

import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.service.IndexingService;
import dev.lsr.engine.EngineCollection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Runs large document batches in the background, a chunk at a time so that {@code GET /jobs/{id}}
 * shows progress. At shutdown, running and queued jobs are given time to finish before the
 * collections are committed and closed.
 */
public final class Jobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final IndexingService indexing;
    private final LsrProperties.Jobs settings;
    private final ExecutorService executor;
    /** Insertion order, so the oldest finished jobs are forgotten first. */
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public Jobs(IndexingService indexing, LsrProperties.Jobs settings) {
        this.indexing = indexing;
        this.settings = settings;
        this.executor = Executors.newFixedThreadPool(Math.max(1, settings.threads()), Thread.ofPlatform().name("lsr-job-", 0).factory());
    }

    /**
     * Queues {@code docs} for {@code collection}; after the last chunk the collection is refreshed
     * and/or committed as asked.
     */
    public Job submit(EngineCollection collection, List<JsonNode> docs, boolean refresh, boolean commit) {
        Job job = new Job(UUID.randomUUID().toString(), collection.name(), docs.size(), settings.maxErrors());
        synchronized (jobs) {
            forgetOldest();
            jobs.put(job.id(), job);
        }
        executor.execute(() -> run(job, collection, List.copyOf(docs), refresh, commit));
        return job;
    }

    public Optional<Job> get(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    public List<Job.Snapshot> list() {
        List<Job> all;
        synchronized (jobs) {
            all = new ArrayList<>(jobs.values());
        }
        return all.reversed().stream().map(Job::snapshot).toList();
    }

    private void run(Job job, EngineCollection collection, List<JsonNode> docs, boolean refresh, boolean commit) {
        job.start();
        try {
            int chunk = Math.max(1, settings.chunk());
            for (int from = 0; from < docs.size(); from += chunk) {
                List<JsonNode> part = docs.subList(from, Math.min(docs.size(), from + chunk));
                job.add(indexing.index(collection, part, from));
            }
            if (commit) {
                collection.commit();
            }
            if (refresh) {
                collection.refresh();
            }
            job.finish(null);
        } catch (RuntimeException e) {
            LOG.warn("job {} on collection '{}' failed", job.id(), collection.name(), e);
            job.finish(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void forgetOldest() {
        int finished = 0;
        for (Job j : jobs.values()) {
            finished += j.done() ? 1 : 0;
        }
        Iterator<Job> it = jobs.values().iterator();
        while (finished > settings.keep() && it.hasNext()) {
            if (it.next().done()) {
                it.remove();
                finished--;
            }
        }
    }

    /** Lets queued and running jobs finish (up to a minute), then stops the workers. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("indexing jobs still running after 60 s at shutdown; stopping them");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
