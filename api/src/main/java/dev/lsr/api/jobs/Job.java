package dev.lsr.api.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.api.service.IndexingService;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A background indexing job as {@code GET /jobs/{id}} shows it. Mutated by the thread running it
 * (and a cancel request); readers get a consistent {@link #snapshot()}, which is also what its
 * journal records.
 */
public final class Job {

    /**
     * Lifecycle: queued, running, then succeeded (every chunk written), failed (stopped early) or
     * cancelled ({@code DELETE /jobs/{id}}: documents written before the cancel stay).
     */
    @Schema(name = "JobState")
    public enum State { queued, running, succeeded, failed, cancelled }

    /** What {@code GET /jobs/{id}} returns. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Job")
    public record Snapshot(
            String id,
            String collection,
            State state,
            int total,
            int processed,
            int indexed,
            int failed,
            // Integer, not int: a journal written before this field has none, and Jackson 3 refuses a missing primitive.
            @Schema(description = "documents indexed with their text cut at the model's max tokens")
            Integer truncated,
            @JsonProperty("truncated_ids") @Schema(description = "ids of the truncated documents, the first " + MAX_TRUNCATED_IDS)
            List<String> truncatedIds,
            double progress,
            List<IndexingService.Item> errors,
            @JsonProperty("errors_truncated") boolean errorsTruncated,
            String error,
            Instant created,
            Instant started,
            Instant finished,
            @JsonProperty("cancel_requested") Boolean cancelRequested) {}

    private final String id;
    private final String collection;
    private final int total;
    private final int maxErrors;
    private final Instant created;
    /** Truncated document ids a job lists at most; {@code truncated} counts them all. */
    public static final int MAX_TRUNCATED_IDS = 100;

    private final List<IndexingService.Item> errors = new ArrayList<>();
    private final List<String> truncatedIds = new ArrayList<>();
    private int truncated;
    private State state = State.queued;
    private int processed;
    private int indexed;
    private int failed;
    private boolean errorsTruncated;
    private String error;
    private Instant started;
    private Instant finished;
    private boolean cancelRequested;

    Job(String id, String collection, int total, int maxErrors) {
        this.id = id;
        this.collection = collection;
        this.total = total;
        this.maxErrors = maxErrors;
        this.created = Instant.now();
    }

    /** A job as its journal last recorded it (after a restart): counts as of its last commit. */
    Job(Snapshot s, int maxErrors) {
        this(s.id(), s.collection(), s.total(), maxErrors, s.created());
        this.state = s.state();
        this.processed = s.processed();
        this.indexed = s.indexed();
        this.failed = s.failed();
        this.truncated = s.truncated() == null ? 0 : s.truncated();
        this.truncatedIds.addAll(s.truncatedIds() == null ? List.of() : s.truncatedIds());
        this.errors.addAll(s.errors() == null ? List.of() : s.errors());
        this.errorsTruncated = s.errorsTruncated();
        this.error = s.error();
        this.started = s.started();
        this.finished = s.finished();
        this.cancelRequested = Boolean.TRUE.equals(s.cancelRequested());
    }

    private Job(String id, String collection, int total, int maxErrors, Instant created) {
        this.id = id;
        this.collection = collection;
        this.total = total;
        this.maxErrors = maxErrors;
        this.created = created;
    }

    public String collection() {
        return collection;
    }

    synchronized int processed() {
        return processed;
    }

    /** Asks the job to stop before its next chunk; true when it had not finished. */
    synchronized boolean requestCancel() {
        if (done()) {
            return false;
        }
        cancelRequested = true;
        return true;
    }

    synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    synchronized void cancelled() {
        state = State.cancelled;
        finished = Instant.now();
    }

    public String id() {
        return id;
    }

    synchronized void start() {
        state = State.running;
        if (started == null) {
            started = Instant.now();
        }
    }

    synchronized void add(IndexingService.BatchResult r) {
        processed += r.items().size();
        indexed += r.indexed();
        failed += r.failed();
        for (IndexingService.Item item : r.items()) {
            if (Boolean.TRUE.equals(item.truncated()) && IndexingService.Item.INDEXED.equals(item.status())) {
                truncated++;
                if (truncatedIds.size() < MAX_TRUNCATED_IDS) {
                    truncatedIds.add(item.id());
                }
            }
            if (item.error() != null) {
                if (errors.size() < maxErrors) {
                    errors.add(item);
                } else {
                    errorsTruncated = true;
                }
            }
        }
    }

    synchronized void finish(String failure) {
        state = failure == null ? State.succeeded : State.failed;
        error = failure;
        finished = Instant.now();
    }

    synchronized boolean done() {
        return state == State.succeeded || state == State.failed || state == State.cancelled;
    }

    public synchronized Snapshot snapshot() {
        double progress = total == 0 ? 1.0 : Math.round(1000.0 * processed / total) / 1000.0;
        return new Snapshot(id, collection, state, total, processed, indexed, failed, truncated, List.copyOf(truncatedIds),
                progress, List.copyOf(errors),
                errorsTruncated, error, created, started, finished, cancelRequested && !done() ? Boolean.TRUE : null);
    }
}
