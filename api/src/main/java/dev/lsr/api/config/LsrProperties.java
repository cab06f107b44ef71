package dev.lsr.api.config;

import dev.lsr.engine.EngineOptions;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code lsr.*}.
 *
 * @param dataDir where collections ({@code <dataDir>/<name>}) and imported models ({@code <dataDir>/models}) live
 * @param defaultModel the model a collection gets when its settings name none, loaded (imported on
 *     first start) before the service reports ready; a model name, a model directory or a Hugging Face
 *     ONNX export; {@code none} for a service that takes only vectors
 * @param apiKey when set, writes (PUT, POST to documents, DELETE) and {@code /encode} need {@code Authorization: Bearer <apiKey>}
 * @param readApiKey when set (with {@code apiKey}), searches and reads need it or the write key
 * @param encoderThreads ONNX Runtime and head threads per loaded model (0 = all cores)
 * @param centringFitDocs a collection whose model recommends corpus centring fits it on its first this-many documents
 * @param searchThreads threads on which the segments of one search run concurrently besides the
 *     request's own thread (0, the default: each search on its request thread only). Worth it on a
 *     machine with idle cores at the expected search concurrency; the hits are the same either way
 * @param commitIntervalMs every collection that changed is committed this often, so that documents
 *     acknowledged without {@code ?commit=true} are durable within it (0: only on request, at job
 *     checkpoints and at shutdown)
 * @param limits request limits, each exceeded with a 4xx naming it
 * @param jobs background indexing
 */
@ConfigurationProperties("lsr")
public record LsrProperties(
        @DefaultValue("data") Path dataDir,
        @DefaultValue("bert-base-uncased-mlm") String defaultModel,
        String apiKey,
        String readApiKey,
        @DefaultValue("0") int encoderThreads,
        @DefaultValue("" + EngineOptions.DEFAULT_CENTRING_FIT_DOCS) int centringFitDocs,
        @DefaultValue("0") int searchThreads,
        @DefaultValue("" + EngineOptions.DEFAULT_COMMIT_INTERVAL_MS) long commitIntervalMs,
        @DefaultValue Limits limits,
        @DefaultValue Jobs jobs) {

    public LsrProperties {
        atLeast("lsr.encoder-threads", encoderThreads, 0);
        atLeast("lsr.centring-fit-docs", centringFitDocs, 1);
        atLeast("lsr.search-threads", searchThreads, 0);
        atLeast("lsr.commit-interval-ms", commitIntervalMs, 0);
        if (readApiKey != null && !readApiKey.isEmpty() && (apiKey == null || apiKey.isEmpty())) {
            // A read key alone would leave writes open while reads are guarded: surely not what was meant.
            throw new IllegalArgumentException("lsr.read-api-key is set but lsr.api-key is not: set both (the write key also allows reads)");
        }
    }

    /**
     * A value out of range is refused while the properties are bound, naming the property: Spring
     * Boot then reports it as "APPLICATION FAILED TO START" (and {@code lsr serve} exits 2), where a
     * negative thread count used to fail later inside a bean with a stack trace, and a zero limit
     * started a service that refused every search or never ran a job.
     */
    static void atLeast(String property, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(property + " must be >= " + min + ", was " + value);
        }
    }

    /** The value of {@code lsr.default-model} that means "no model". */
    public static final String NO_MODEL = "none";

    public boolean hasDefaultModel() {
        return defaultModel != null && !defaultModel.isBlank() && !NO_MODEL.equals(defaultModel);
    }

    public boolean apiKeyRequired() {
        return apiKey != null && !apiKey.isEmpty();
    }

    /**
     * @param maxBodyBytes largest request body accepted (413 above)
     * @param maxK largest {@code k} of a search
     * @param maxBatch most documents in one {@code POST .../documents}, most texts in one {@code POST /encode}
     * @param maxQueryChars longest query text
     * @param asyncBatch batches with more documents than this run as a background job (202)
     * @param maxQueuedDocuments documents of background jobs accepted but not yet indexed; a job that
     *     would go beyond it gets a 429 with {@code Retry-After} (a batch larger than it alone, a 413)
     * @param maxConcurrentSearches searches (and {@code /encode} calls) running at once; more get a 429
     * @param retryAfterSeconds the {@code Retry-After} of a 429
     */
    public record Limits(
            @DefaultValue("33554432") long maxBodyBytes,
            @DefaultValue("1000") int maxK,
            @DefaultValue("10000") int maxBatch,
            @DefaultValue("2000") int maxQueryChars,
            @DefaultValue("256") int asyncBatch,
            @DefaultValue("100000") int maxQueuedDocuments,
            @DefaultValue("64") int maxConcurrentSearches,
            @DefaultValue("5") int retryAfterSeconds) {

        public Limits {
            atLeast("lsr.limits.max-body-bytes", maxBodyBytes, 1);
            atLeast("lsr.limits.max-k", maxK, 1);
            atLeast("lsr.limits.max-batch", maxBatch, 1);
            atLeast("lsr.limits.max-query-chars", maxQueryChars, 1);
            atLeast("lsr.limits.async-batch", asyncBatch, 0);
            atLeast("lsr.limits.max-queued-documents", maxQueuedDocuments, 1);
            atLeast("lsr.limits.max-concurrent-searches", maxConcurrentSearches, 1);
            atLeast("lsr.limits.retry-after-seconds", retryAfterSeconds, 0);
        }
    }

    /**
     * @param threads documents batches indexed at once in the background
     * @param chunk documents encoded and written per step of a job (its progress granularity); the
     *     encoder sorts a chunk into length buckets, so a longer chunk pads less (SciFact abstracts at
     *     512 tokens, batches of 8: 6.0% of the slots run are padding with 64, 1.7% with 256)
     * @param keep finished jobs remembered for {@code GET /jobs/{id}}
     * @param maxErrors per-document errors a job keeps
     * @param checkpoint a job commits its collection and records its progress every this-many documents
     *     (where it resumes after a crash)
     * @param shutdownWaitSeconds how long a shutdown waits for queued and running jobs before they stop
     *     at their next chunk (they resume at the next start)
     */
    public record Jobs(
            @DefaultValue("1") int threads,
            @DefaultValue("256") int chunk,
            @DefaultValue("100") int keep,
            @DefaultValue("100") int maxErrors,
            @DefaultValue("1024") int checkpoint,
            @DefaultValue("60") int shutdownWaitSeconds) {

        public Jobs {
            atLeast("lsr.jobs.threads", threads, 1);
            atLeast("lsr.jobs.chunk", chunk, 1);
            atLeast("lsr.jobs.keep", keep, 1);
            atLeast("lsr.jobs.max-errors", maxErrors, 0);
            atLeast("lsr.jobs.checkpoint", checkpoint, 1);
            atLeast("lsr.jobs.shutdown-wait-seconds", shutdownWaitSeconds, 0);
        }
    }
}
