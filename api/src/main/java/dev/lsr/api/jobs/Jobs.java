package dev.lsr.api.jobs;

import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.service.IndexingService;
import dev.lsr.api.web.ApiException;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs large document batches in the background, a chunk at a time so that {@code GET /jobs/{id}}
 * shows progress. Jobs are durable: the documents of an accepted job are in its journal
 * ({@link JobJournal}) before the 202 is sent; every {@code lsr.jobs.checkpoint} documents the
 * collection is committed and the job's progress recorded, so after a restart (or a SIGKILL) a job
 * resumes from its last commit (documents are upserts by id, so redoing the chunks after it is
 * harmless). The queue is bounded by documents ({@code lsr.limits.max-queued-documents}).
 */
public final class Jobs implements AutoCloseable {

    static final String QUEUE_LIMIT = "lsr.limits.max-queued-documents";
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final IndexingService indexing;
    private final Engine engine;
    private final JobJournal journal;
    private final LsrProperties.Jobs settings;
    private final ExecutorService executor;
    /** Insertion order, so the oldest finished jobs are forgotten first. */
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /** Documents of accepted jobs not indexed yet: what {@code lsr.limits.max-queued-documents} bounds. */
    private final AtomicLong queuedDocuments = new AtomicLong();
    private final int maxQueuedDocuments;
    private final long retryAfterSeconds;
    private final Counter rejected;
    /** Set when shutdown stops waiting: running jobs stop at their next commit and resume at the next start. */
    private volatile boolean stopping;

    public Jobs(IndexingService indexing, Engine engine, JsonMapper json, LsrProperties properties, MeterRegistry meters) {
        this.indexing = indexing;
        this.engine = engine;
        this.journal = new JobJournal(properties.dataDir(), json);
        this.settings = properties.jobs();
        this.maxQueuedDocuments = properties.limits().maxQueuedDocuments();
        this.retryAfterSeconds = Math.max(1, properties.limits().retryAfterSeconds());
        this.rejected = meters.counter("lsr.rejections", "limit", QUEUE_LIMIT);
        Gauge.builder("lsr.jobs.queued.documents", queuedDocuments, AtomicLong::get)
                .description("documents of background jobs accepted and not indexed yet").register(meters);
        Gauge.builder("lsr.jobs.active", this, Jobs::active).description("background jobs queued or running").register(meters);
        this.executor = Executors.newFixedThreadPool(Math.max(1, settings.threads()), Thread.ofPlatform().name("lsr-job-", 0).factory());
    }

    /**
     * Loads every job recorded beside the collections: finished ones answer {@code GET /jobs/{id}}
     * again, unfinished ones are queued again from their last commit, oldest first.
     */
    public void resume() {
        for (String name : engine.names()) {
            List<JobJournal.Entry> entries;
            try {
                entries = journal.entries(name);
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot read the job journal of collection '{}': {}", name, e.getMessage());
                continue;
            }
            for (JobJournal.Entry e : entries) {
                Job job = new Job(e.job(), settings.maxErrors());
                if (job.done()) {
                    journal.dropDocuments(name, job.id());
                    synchronized (jobs) {
                        jobs.put(job.id(), job);
                    }
                    continue;
                }
                try {
                    List<JsonNode> docs = journal.documents(name, job.id());
                    EngineCollection c = engine.collection(name);
                    synchronized (jobs) {
                        jobs.put(job.id(), job);
                        queuedDocuments.addAndGet(docs.size() - job.processed());
                    }
                    LOG.info("job {} on collection '{}' resumes at document {} of {}", job.id(), name, job.processed(), docs.size());
                    executor.execute(() -> run(job, c, docs, e.refresh(), e.commit()));
                } catch (IOException | RuntimeException ex) {
                    LOG.error("job {} on collection '{}' cannot resume: {}", job.id(), name, ex.getMessage());
                    job.finish("cannot resume after a restart: " + ex.getMessage());
                    journal.write(new JobJournal.Entry(job.snapshot(), e.refresh(), e.commit()));
                    synchronized (jobs) {
                        jobs.put(job.id(), job);
                    }
                }
            }
        }
        synchronized (jobs) {
            forgetOldest();
        }
    }

    /**
     * Queues {@code docs} for {@code collection}, journalled (fsynced) when this returns; after the
     * last chunk the collection is refreshed and/or committed as asked.
     */
    public Job submit(EngineCollection collection, List<JsonNode> docs, boolean refresh, boolean commit) {
        if (docs.size() > maxQueuedDocuments) {
            rejected.increment();
            throw ApiException.limit(HttpStatus.CONTENT_TOO_LARGE, QUEUE_LIMIT, maxQueuedDocuments, docs.size()
                    + " documents are more than the job queue holds (" + maxQueuedDocuments + ", " + QUEUE_LIMIT + "); split the batch");
        }
        Job job = new Job(UUID.randomUUID().toString(), collection.name(), docs.size(), settings.maxErrors());
        synchronized (jobs) {
            long queued = queuedDocuments.get();
            if (queued + docs.size() > maxQueuedDocuments) {
                rejected.increment();
                throw ApiException.tooMany(QUEUE_LIMIT, maxQueuedDocuments, retryAfterSeconds, "the job queue is full: "
                        + queued + " documents are waiting to be indexed and " + docs.size() + " more would exceed the limit of "
                        + maxQueuedDocuments + " (" + QUEUE_LIMIT + "); retry after " + retryAfterSeconds + " s");
            }
            queuedDocuments.addAndGet(docs.size());
        }
        List<JsonNode> copy = List.copyOf(docs);
        try {
            journal.create(new JobJournal.Entry(job.snapshot(), refresh, commit), copy);
        } catch (RuntimeException e) {
            queuedDocuments.addAndGet(-docs.size());
            throw e;
        }
        synchronized (jobs) {
            forgetOldest();
            jobs.put(job.id(), job);
        }
        executor.execute(() -> run(job, collection, copy, refresh, commit));
        return job;
    }

    public Optional<Job> get(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    /** Cancels a queued or running job (it stops before its next chunk); empty when it does not exist. */
    public Optional<Job> cancel(String id) {
        Job job = get(id).orElse(null);
        if (job == null) {
            return Optional.empty();
        }
        if (!job.requestCancel()) {
            throw new ApiException(HttpStatus.CONFLICT, "job '" + id + "' has already finished (" + job.snapshot().state() + ")");
        }
        return Optional.of(job);
    }

    public List<Job.Snapshot> list() {
        List<Job> all;
        synchronized (jobs) {
            all = new ArrayList<>(jobs.values());
        }
        return all.reversed().stream().map(Job::snapshot).toList();
    }

    private void run(Job job, EngineCollection collection, List<JsonNode> docs, boolean refresh, boolean commit) {
        int from = job.processed();
        try {
            if (job.cancelRequested()) {
                job.cancelled();
                record(job, refresh, commit);
                journal.dropDocuments(job.collection(), job.id());
                return;
            }
            job.start();
            record(job, refresh, commit);
            int chunk = Math.max(1, settings.chunk());
            int checkpoint = Math.max(chunk, settings.checkpoint());
            int sinceCommit = 0;
            for (; from < docs.size(); from += chunk) {
                if (job.cancelRequested() || stopping) {
                    break;
                }
                List<JsonNode> part = docs.subList(from, Math.min(docs.size(), from + chunk));
                job.add(indexing.index(collection, part, from));
                queuedDocuments.addAndGet(-part.size());
                sinceCommit += part.size();
                if (sinceCommit >= checkpoint && from + chunk < docs.size()) {
                    collection.commit();
                    record(job, refresh, commit);
                    sinceCommit = 0;
                }
            }
            if (from >= docs.size() || job.cancelRequested()) {
                // Written documents become durable before the job says it finished: its state must never run ahead of the index.
                collection.commit();
                if (refresh) {
                    collection.refresh();
                }
                if (from >= docs.size()) {
                    job.finish(null);
                } else {
                    job.cancelled();
                }
                record(job, refresh, commit);
                journal.dropDocuments(job.collection(), job.id());
            } else {
                collection.commit();
                record(job, refresh, commit);
                LOG.info("job {} stopped at shutdown after {} of {} documents; it resumes at the next start", job.id(), job.processed(), docs.size());
            }
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.warn("job {} interrupted at shutdown ({}); it resumes from its last commit at the next start", job.id(), e.toString());
                return;
            }
            LOG.warn("job {} on collection '{}' failed", job.id(), collection.name(), e);
            job.finish(e.getClass().getSimpleName() + ": " + e.getMessage());
            try {
                record(job, refresh, commit);
                journal.dropDocuments(job.collection(), job.id());
            } catch (RuntimeException again) {
                LOG.warn("job {}: cannot record its failure: {}", job.id(), again.getMessage());
            }
        } finally {
            queuedDocuments.addAndGet(-(docs.size() - Math.min(from, docs.size())));
        }
    }

    private void record(Job job, boolean refresh, boolean commit) {
        journal.write(new JobJournal.Entry(job.snapshot(), refresh, commit));
    }

    private int active() {
        synchronized (jobs) {
            return (int) jobs.values().stream().filter(j -> !j.done()).count();
        }
    }

    private void forgetOldest() {
        int finished = 0;
        for (Job j : jobs.values()) {
            finished += j.done() ? 1 : 0;
        }
        Iterator<Job> it = jobs.values().iterator();
        while (finished > settings.keep() && it.hasNext()) {
            Job j = it.next();
            if (j.done()) {
                it.remove();
                finished--;
                try {
                    journal.forget(j.collection(), j.id());
                } catch (RuntimeException e) {
                    LOG.warn("cannot remove the journal of job {}: {}", j.id(), e.getMessage());
                }
            }
        }
    }

    /**
     * Lets queued and running jobs finish (up to {@code lsr.jobs.shutdown-wait-seconds}); then running jobs stop at their next
     * chunk, commit and record where they are, and queued ones stay in their journal: all resume at
     * the next start.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(settings.shutdownWaitSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("indexing jobs still running after {} s at shutdown; they stop at their next chunk and resume at the next start",
                        settings.shutdownWaitSeconds());
                // Not interrupted: an interrupt inside a Lucene write closes the index's file channels.
                stopping = true;
                if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            stopping = true;
            Thread.currentThread().interrupt();
        }
    }
}
