package dev.lsr.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.LsrApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs outlive the service: a job's documents are journalled beside the collection before its 202;
 * a service stopped in the middle of a job (shutdown wait 0) resumes it at the next start from its
 * last commit and finishes it with every document; {@code GET /jobs/{id}} answers across restarts;
 * {@code DELETE /jobs/{id}} cancels.
 */
class DurableJobsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "k";

    @TempDir
    Path tmp;

    private ConfigurableApplicationContext start(Path data) {
        return new SpringApplicationBuilder(LsrApplication.class).run("--server.port=0", "--lsr.data-dir=" + data,
                "--lsr.default-model=none", "--lsr.api-key=" + KEY, "--lsr.limits.async-batch=8", "--lsr.jobs.chunk=4",
                "--lsr.jobs.checkpoint=16", "--lsr.jobs.shutdown-wait-seconds=0", "--spring.jmx.enabled=false");
    }

    private static int port(ConfigurableApplicationContext c) {
        return Integer.parseInt(c.getEnvironment().getProperty("local.server.port"));
    }

    private static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + KEY);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static String docs(String prefix, int n) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(Map.of("id", prefix + i, "vector", Map.of("indices", List.of(i % 50, 50 + i % 900), "values", List.of(1.0, 0.25 + i))));
        }
        return JSON.writeValueAsString(docs);
    }

    private static JsonNode await(int port, String id, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            job = json(send(port, "GET", "/jobs/" + id, null), 200);
            if (job.get("state").stringValue().equals(state)) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " not " + state + " in 120 s: " + job);
    }

    @Test
    void aJobStoppedByARestartResumesAndFinishesWithEveryDocument() throws Exception {
        Path data = tmp.resolve("data");
        int n = 2000;
        String jobId;
        ConfigurableApplicationContext first = start(data);
        try {
            int port = port(first);
            json(send(port, "PUT", "/collections/durable", "{\"model\": null, \"dim\": 1000, \"refresh_interval_ms\": 0}"), 201);
            JsonNode accepted = json(send(port, "POST", "/collections/durable/documents", docs("d", n)), 202);
            jobId = accepted.get("id").stringValue();
            // On disk before the 202: every document of the job in its journal.
            Path journal = data.resolve("durable").resolve("jobs").resolve(jobId + ".ndjson");
            assertThat(Files.readAllLines(journal)).hasSize(n);
        } finally {
            first.close();
        }
        JsonNode recorded = JSON.readTree(Files.readString(data.resolve("durable/jobs/" + jobId + ".json"))).get("job");
        System.out.printf("DurableJobsTest: stopped with job %s recorded as %s after %d of %d documents%n", jobId,
                recorded.get("state").stringValue(), recorded.get("processed").intValue(), n);
        assertThat(recorded.get("state").stringValue()).as("the job was stopped before it finished").isIn("queued", "running");

        ConfigurableApplicationContext second = start(data);
        try {
            int port = port(second);
            JsonNode done = await(port, jobId, "succeeded");
            assertThat(done.get("indexed").intValue()).isEqualTo(n);
            assertThat(done.get("processed").intValue()).isEqualTo(n);
            send(port, "POST", "/collections/durable/documents?refresh=true&commit=true", docs("sync", 1));
            assertThat(json(send(port, "GET", "/collections/durable/stats", null), 200).get("docs").intValue()).isEqualTo(n + 1);
            for (int i = 0; i < n; i += 97) {
                JsonNode d = json(send(port, "GET", "/collections/durable/documents/d" + i, null), 200);
                assertThat(d.get("vector").get("values").get(1).doubleValue()).isEqualTo(0.25 + i);
            }
            assertThat(data.resolve("durable/jobs/" + jobId + ".ndjson")).as("a finished job's documents leave the journal").doesNotExist();

            // Cancel: a large job stops before its next chunk; a finished job cannot be cancelled.
            String big = json(send(port, "POST", "/collections/durable/documents", docs("c", 4000)), 202).get("id").stringValue();
            JsonNode cancel = json(send(port, "DELETE", "/jobs/" + big, null), 200);
            assertThat(cancel.get("state").stringValue()).isIn("queued", "running", "cancelled");
            JsonNode cancelled = await(port, big, "cancelled");
            assertThat(cancelled.get("processed").intValue()).isLessThan(4000);
            assertThat(json(send(port, "DELETE", "/jobs/" + big, null), 409).get("detail").stringValue()).contains("already finished");
            assertThat(json(send(port, "DELETE", "/jobs/" + jobId, null), 409).get("status").intValue()).isEqualTo(409);
            assertThat(send(port, "DELETE", "/jobs/no-such-job", null).statusCode()).isEqualTo(404);
            System.out.printf("DurableJobsTest: cancelled job stopped after %d of 4000 documents%n", cancelled.get("processed").intValue());
        } finally {
            second.close();
        }

        // GET /jobs/{id} answers across restarts, for finished and cancelled jobs alike.
        ConfigurableApplicationContext third = start(data);
        try {
            int port = port(third);
            assertThat(json(send(port, "GET", "/jobs/" + jobId, null), 200).get("state").stringValue()).isEqualTo("succeeded");
            JsonNode list = json(send(port, "GET", "/jobs", null), 200).get("jobs");
            assertThat(list.size()).isEqualTo(2);
        } finally {
            third.close();
        }
    }
}
