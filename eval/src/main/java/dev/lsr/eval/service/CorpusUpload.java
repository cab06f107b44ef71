package dev.lsr.eval.service;

import dev.lsr.eval.beir.BeirDocument;
import dev.lsr.eval.cli.ExitCodes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Puts a corpus into a collection the way the README tells a user to: {@code PUT /collections/{name}}
 * (no body: the service's default model; or {@code {"model": M}}), then the documents as text
 * ({@code {id, title, text}}) in batches to {@code POST .../documents?refresh=true}, which the service
 * turns into background jobs; then waits for every job and for the collection to show all documents.
 * A collection that already holds exactly the corpus's document count is reused as it is, so the
 * query phase can be re-run on a built data directory.
 */
public final class CorpusUpload {

    /** What the upload did; {@code stats} is the collection's {@code /stats} once every document is visible. */
    public record Result(int docs, boolean reused, double seconds, int jobs, JsonNode collection, JsonNode stats) {

        public double docsPerSecond() {
            return reused || seconds <= 0 ? Double.NaN : docs / seconds;
        }
    }

    private final ServiceClient client;
    private final PrintStream err;
    private final Duration timeout;

    public CorpusUpload(ServiceClient client, PrintStream err, Duration timeout) {
        this.client = client;
        this.err = err;
        this.timeout = timeout;
    }

    /** @param createBody the {@code PUT} body (settings, model), or null for none: the service's default model */
    public Result upload(String collection, Map<String, Object> createBody, List<BeirDocument> corpus, int batch) throws InterruptedException {
        String path = "/collections/" + collection;
        ServiceClient.Reply existing = client.get(path);
        if (existing.status() == 200) {
            long docs = stats(collection).get("docs").asLong();
            if (docs != corpus.size()) {
                throw new ExitCodes.BadInputException("collection '" + collection + "' already exists at " + client.base()
                        + " with " + docs + " documents, not the corpus's " + corpus.size()
                        + "; delete it or choose another --collection");
            }
            err.printf("bench service: collection '%s' already holds the %d documents; reusing it%n", collection, docs);
            return new Result(corpus.size(), true, 0, 0, client.get(path).json(), stats(collection));
        }
        if (existing.status() == 401 || existing.status() == 403) {
            throw new ExitCodes.BadInputException("the service at " + client.base() + " refused GET " + path + " ("
                    + existing.status() + "): give its key with --api-key");
        }
        ServiceClient.Reply created = client.put(path, createBody);
        if (created.status() != 201) {
            throw new ExitCodes.BadInputException("PUT " + path + " answered " + created.status() + ": " + created.detail());
        }
        long t0 = System.nanoTime();
        List<String> jobs = new ArrayList<>();
        // Equal batches (5,183 by 1,000 -> 6 of 864), so that no short last batch falls under the service's
        // async-batch and is encoded inside its request instead of as a job.
        int batches = (corpus.size() + batch - 1) / batch;
        for (int b = 0; b < batches; b++) {
            int from = (int) ((long) corpus.size() * b / batches);
            int to = (int) ((long) corpus.size() * (b + 1) / batches);
            List<Map<String, Object>> docs = new ArrayList<>();
            for (BeirDocument d : corpus.subList(from, to)) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("id", d.id());
                if (!d.title().isEmpty()) {
                    doc.put("title", d.title());
                }
                doc.put("text", d.text());
                docs.add(doc);
            }
            ServiceClient.Reply r = client.send("POST", path + "/documents?refresh=true", docs, timeout);
            if (r.status() == 202) {
                jobs.add(r.json().get("id").asString());
            } else if (r.status() != 200) {
                throw new ServiceClient.ServiceException("POST " + path + "/documents (documents " + from + "..) answered "
                        + r.status() + ": " + r.detail());
            } else if (r.json().get("failed").asInt() > 0) {
                throw new ServiceClient.ServiceException("POST " + path + "/documents: " + r.json().get("failed").asInt()
                        + " documents failed: " + r.body());
            }
        }
        err.printf("bench service: posted %d documents in %d job(s) to %s%s%n", corpus.size(), jobs.size(), client.base(), path);
        awaitJobs(jobs, corpus.size(), t0);
        JsonNode stats = awaitVisible(collection, corpus.size());
        double seconds = (System.nanoTime() - t0) / 1e9;
        err.printf("bench service: %d documents indexed and visible in %.1f s (%.2f docs/s)%n", corpus.size(), seconds, corpus.size() / seconds);
        return new Result(corpus.size(), false, seconds, jobs.size(), client.get(path).json(), stats);
    }

    private void awaitJobs(List<String> jobs, int total, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        int done = 0;
        int doneDocs = 0;
        while (done < jobs.size()) {
            JsonNode job = client.get("/jobs/" + jobs.get(done)).json();
            String state = job.get("state").asString();
            switch (state) {
                case "succeeded" -> {
                    if (job.get("failed").asInt() > 0) {
                        throw new ServiceClient.ServiceException("job " + jobs.get(done) + ": " + job.get("failed").asInt()
                                + " documents failed: " + job.get("errors"));
                    }
                    doneDocs += job.get("total").asInt();
                    done++;
                    continue;
                }
                case "failed", "cancelled" -> throw new ServiceClient.ServiceException("job " + jobs.get(done) + " " + state + ": " + job);
                default -> { }
            }
            if (System.nanoTime() > deadline) {
                throw new ServiceClient.ServiceException("the documents were not indexed after " + timeout.toSeconds()
                        + " s (--ingest-timeout); job " + jobs.get(done) + " is " + state);
            }
            if (System.nanoTime() - lastReport > 30_000_000_000L) {
                int now = doneDocs + job.get("processed").asInt();
                double s = (System.nanoTime() - t0) / 1e9;
                err.printf("bench service: %d/%d documents indexed, %.0f s, %.2f docs/s%n", now, total, s, now / s);
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    /** Jobs refresh at their end; this also waits out per-collection centring's re-encoding of the first documents. */
    private JsonNode awaitVisible(String collection, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            JsonNode stats = stats(collection);
            boolean pending = stats.has("centring") && "pending".equals(stats.get("centring").get("status").asString());
            if (stats.get("docs").asLong() == expected && !pending) {
                return stats;
            }
            if (System.nanoTime() > deadline) {
                throw new ServiceClient.ServiceException("collection '" + collection + "' shows " + stats + " after its jobs; expected "
                        + expected + " documents");
            }
            Thread.sleep(500);
        }
    }

    private JsonNode stats(String collection) {
        ServiceClient.Reply r = client.get("/collections/" + collection + "/stats");
        if (r.status() != 200) {
            throw new ServiceClient.ServiceException("GET /collections/" + collection + "/stats answered " + r.status() + ": " + r.detail());
        }
        return r.json();
    }
}
