package dev.lsr.api.web;

import dev.lsr.api.jobs.Job;
import dev.lsr.api.jobs.Jobs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/jobs")
@Tag(name = "jobs")
public final class JobController {

    private final Jobs jobs;

    /** {@code GET /jobs}. */
    @Schema(name = "JobList")
    public record JobList(List<Job.Snapshot> jobs) {}

    public JobController(Jobs jobs) {
        this.jobs = jobs;
    }

    @GetMapping
    @Operation(summary = "Recent background indexing jobs, newest first")
    public JobList list() {
        return new JobList(jobs.list());
    }

    @GetMapping("/{id}")
    @Operation(summary = "A background indexing job: state, progress, counts, per-document errors")
    public Job.Snapshot get(@PathVariable String id) {
        return jobs.get(id).map(Job::snapshot)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "job '" + id + "' does not exist (or finished long ago and was forgotten)"));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel a queued or running job",
            description = "It stops before its next chunk; documents written before stay. 409 when it has already finished.")
    public Job.Snapshot cancel(@PathVariable String id) {
        return jobs.cancel(id).map(Job::snapshot)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "job '" + id + "' does not exist (or finished long ago and was forgotten)"));
    }
}
