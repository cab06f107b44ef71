package dev.lsr.api;

import dev.lsr.engine.EngineOptions;
import java.util.List;

/**
 * {@code lsr serve --help}: the service's options with their defaults, printed without starting
 * anything. The {@code lsr.*} defaults are {@code LsrProperties}' ({@code ServeHelpTest} checks
 * that every property is listed with its default).
 */
final class ServeHelp {

    /** One option: how it is written, its default (null: none), and what it does. */
    record Option(String name, String defaultValue, String description) {}

    static final List<Option> OPTIONS = List.of(
            new Option("--port P", "8080", "HTTP port (= --server.port=P)"),
            new Option("--data DIR", "data", "data directory: collections in DIR/<name>, models in DIR/models (= --lsr.data-dir=DIR)"),
            new Option("--lsr.default-model=M", "bert-base-uncased-mlm",
                    "model of collections that name none: a model name under DIR/models (the default is imported on first start), "
                            + "a model directory or an ONNX export (model.onnx + tokenizer.json); none = vectors only"),
            new Option("--lsr.api-key=K", null, "writes (PUT, POST documents, DELETE) and POST /encode need 'Authorization: Bearer K'"),
            new Option("--lsr.read-api-key=R", null, "with --lsr.api-key: searches and reads need 'Authorization: Bearer R' (or K)"),
            new Option("--lsr.encoder-threads=N", "0", "ONNX Runtime and head threads per model (0 = all cores)"),
            new Option("--lsr.centring-fit-docs=N", String.valueOf(EngineOptions.DEFAULT_CENTRING_FIT_DOCS),
                    "a collection whose model recommends corpus centring fits it on its first N documents, then re-encodes them"),
            new Option("--lsr.search-threads=N", "0",
                    "threads besides the request's on which one search's segments run concurrently (0 = on the request thread; same hits)"),
            new Option("--lsr.commit-interval-ms=N", String.valueOf(EngineOptions.DEFAULT_COMMIT_INTERVAL_MS),
                    "collections that changed are committed this often: writes acknowledged without ?commit=true are durable"
                            + " within it (0 = only on request, at job checkpoints and at shutdown)"),
            new Option("--lsr.limits.max-body-bytes=N", "33554432", "largest request body (413 above)"),
            new Option("--lsr.limits.max-k=N", "1000", "largest k of a search"),
            new Option("--lsr.limits.max-batch=N", "10000", "most documents per POST .../documents, texts per POST /encode"),
            new Option("--lsr.limits.max-query-chars=N", "2000", "longest query text"),
            new Option("--lsr.limits.async-batch=N", "256", "larger batches run as a background job (202 + /jobs/{id})"),
            new Option("--lsr.limits.max-queued-documents=N", "100000",
                    "documents of background jobs waiting to be indexed; beyond it 429 + Retry-After"),
            new Option("--lsr.limits.max-concurrent-searches=N", "64", "searches and /encode calls at once; beyond it 429 + Retry-After"),
            new Option("--lsr.limits.retry-after-seconds=N", "5", "Retry-After of a 429"),
            new Option("--lsr.jobs.threads=N", "1", "background indexing jobs run at once"),
            new Option("--lsr.jobs.chunk=N", "256", "documents per step of a job (encoded together, sorted into length buckets)"),
            new Option("--lsr.jobs.keep=N", "100", "finished jobs remembered"),
            new Option("--lsr.jobs.max-errors=N", "100", "per-document errors a job keeps"),
            new Option("--lsr.jobs.checkpoint=N", "1024", "a job commits and records its progress every N documents (it resumes there after a crash)"),
            new Option("--lsr.jobs.shutdown-wait-seconds=N", "60", "a shutdown waits this long for jobs; the rest resume at the next start"),
            new Option("-h, --help", null, "print this help and exit"));

    private ServeHelp() {}

    static boolean requested(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    static String text() {
        StringBuilder sb = new StringBuilder("""
                Usage: lsr serve [--port P] [--data DIR] [--lsr.<property>=VALUE ...]
                Start the search service: REST API, search page at /, OpenAPI at /v3/api-docs,
                health and Prometheus metrics under /actuator. Any Spring Boot property passes through
                as --name=value (e.g. --server.address=127.0.0.1).

                Options:
                """);
        int width = OPTIONS.stream().mapToInt(o -> o.name().length()).max().orElse(0);
        for (Option o : OPTIONS) {
            sb.append("  ").append(o.name()).append(" ".repeat(width - o.name().length() + 2)).append(o.description());
            if (o.defaultValue() != null) {
                sb.append(" (default: ").append(o.defaultValue()).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
