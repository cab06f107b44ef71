package dev.lsr.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A typed client of the lsr REST API ({@code lsr serve}): collections, documents, search and encode.
 * Thread-safe; one instance per service is enough. Every refusal of the server becomes a
 * {@link LsrProblemException} subclass carrying the problem's detail; network failures become
 * {@link LsrTransportException}.
 *
 * <pre>{@code
 * try (LsrClient lsr = LsrClient.builder(URI.create("http://localhost:8080")).build()) {
 *     lsr.createCollection("notes", CollectionSettings.defaultModel());
 *     lsr.addDocuments("notes", List.of(Document.ofText("1", "sparse retrieval")), WriteOptions.refreshed());
 *     lsr.search("notes", SearchQuery.text("sparse")).hits();
 * }
 * }</pre>
 */
public final class LsrClient implements LsrOperations, AutoCloseable {

    private static final String JSON_TYPE = "application/json";

    private final URI base;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final String apiKey;
    private final Duration timeout;
    private final Duration jobPoll;
    private final Duration jobTimeout;
    private final JsonMapper json;

    private LsrClient(Builder b) {
        String s = b.baseUri.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.ownsHttp = b.httpClient == null;
        this.http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.timeout).version(HttpClient.Version.HTTP_1_1).build();
        this.apiKey = b.apiKey;
        this.timeout = b.timeout;
        this.jobPoll = b.jobPoll;
        this.jobTimeout = b.jobTimeout;
        // Servers may add response fields; an older client must still read the ones it knows.
        this.json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    /** A client of the service at {@code baseUri} (e.g. {@code http://localhost:8080}). */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /** A client with the defaults: no API key, 60 s per request. */
    public static LsrClient create(URI baseUri) {
        return builder(baseUri).build();
    }

    /** The service's base URI. */
    public URI baseUri() {
        return base;
    }

    // ---- service ----------------------------------------------------------------------------------------------

    /** True when the service's readiness probe answers UP (default model loaded, collections open). */
    public boolean isReady() {
        try {
            HttpResponse<String> r = http.send(request("actuator/health/readiness").GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LsrTransportException("interrupted while asking " + base + " for readiness", e);
        }
    }

    // ---- collections ------------------------------------------------------------------------------------------

    /** Creates a collection; {@link ConflictException} when it exists. */
    @Override
    public CollectionInfo createCollection(String name, CollectionSettings settings) {
        JsonNode r = send("PUT", "collections/" + segment(name), settings.toJson());
        return collectionInfo(r);
    }

    /** A collection's settings and stats; {@link NotFoundException} when there is none. */
    public CollectionInfo collection(String name) {
        return collectionInfo(send("GET", "collections/" + segment(name), null));
    }

    /** A collection's settings and stats, or empty when there is none. */
    @Override
    public Optional<CollectionInfo> findCollection(String name) {
        try {
            return Optional.of(collection(name));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Every collection's stats. */
    public List<CollectionStats> collections() {
        JsonNode r = send("GET", "collections", null);
        return convert(r.get("collections"), new TypeReference<List<CollectionStats>>() {});
    }

    public CollectionStats stats(String name) {
        return convert(send("GET", "collections/" + segment(name) + "/stats", null), CollectionStats.class);
    }

    /** Deletes a collection and its files; {@link NotFoundException} when there is none. */
    public void deleteCollection(String name) {
        send("DELETE", "collections/" + segment(name), null);
    }

    // ---- documents --------------------------------------------------------------------------------------------

    /**
     * Adds (or replaces by id) documents. A document the server refuses fails alone and is reported
     * in the result's items; a batch where every document fails is a {@link BadRequestException}.
     * A batch larger than the server's {@code lsr.limits.async-batch} runs as a background job that
     * this call waits for.
     */
    @Override
    public IndexResult addDocuments(String collection, List<Document> documents, WriteOptions options) {
        List<Object> body = new ArrayList<>(documents.size());
        for (Document d : documents) {
            body.add(documentJson(d));
        }
        String path = "collections/" + segment(collection) + "/documents" + options.query();
        HttpResponse<String> r = exchange("POST", path, body);
        JsonNode node = parse(r, "POST " + path);
        if (r.statusCode() == 202) {
            return awaitJob(node.get("id").stringValue());
        }
        return new IndexResult(node.get("indexed").intValue(), node.get("failed").intValue(),
                convert(node.get("items"), new TypeReference<List<IndexResult.Item>>() {}), null);
    }

    public IndexResult addDocuments(String collection, List<Document> documents) {
        return addDocuments(collection, documents, WriteOptions.defaults());
    }

    /** A stored document with its vector (token form when the collection has a model), or empty. */
    public Optional<Document> document(String collection, String id) {
        JsonNode r;
        try {
            r = send("GET", "collections/" + segment(collection) + "/documents/" + segment(id), null);
        } catch (NotFoundException e) {
            if (e.detail() != null && e.detail().startsWith("collection '")) {
                throw e; // the collection itself is unknown: not an absent document
            }
            return Optional.empty();
        }
        Map<String, Object> metadata = r.has("metadata") ? convert(r.get("metadata"), new TypeReference<Map<String, Object>>() {}) : Map.of();
        return Optional.of(new Document(r.get("id").stringValue(), text(r, "title"), text(r, "text"), metadata,
                r.has("vector") ? vector(r.get("vector")) : null));
    }

    @Override
    public void deleteDocument(String collection, String id, WriteOptions options) {
        send("DELETE", "collections/" + segment(collection) + "/documents/" + segment(id) + options.query(), null);
    }

    /**
     * Deletes every document the filter matches (e.g. every chunk of one source before it is
     * ingested again); returns how many the service matched.
     */
    @Override
    public long deleteByFilter(String collection, Filter filter, WriteOptions options) {
        java.util.Objects.requireNonNull(filter, "filter");
        JsonNode r = send("POST", "collections/" + segment(collection) + "/documents/delete" + options.query(),
                java.util.Map.of("filter", filter.toJson()));
        return r.get("deleted").asLong();
    }

    // ---- search and encode ------------------------------------------------------------------------------------

    @Override
    public SearchResult search(String collection, SearchQuery query) {
        return convert(send("POST", "collections/" + segment(collection) + "/search", query.toJson()), SearchResult.class);
    }

    /**
     * Encodes texts with a model.
     *
     * @param document true: document encoding (document pruning); false: query encoding
     * @param model an imported model's name, or null for the service's default model
     */
    public List<EncodedText> encode(List<String> texts, boolean document, String model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("texts", texts);
        body.put("kind", document ? "document" : "query");
        if (model != null) {
            body.put("model", model);
        }
        JsonNode r = send("POST", "encode", body);
        List<EncodedText> out = new ArrayList<>();
        for (JsonNode v : r.get("vectors")) {
            out.add(new EncodedText(vector(v.get("vector")), convert(v.get("tokens"), new TypeReference<List<String>>() {}),
                    v.get("truncated").booleanValue()));
        }
        return out;
    }

    /** Query-encodes one text with the default model. */
    public EncodedText encodeQuery(String text) {
        return encode(List.of(text), false, null).getFirst();
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    // ---- wire -------------------------------------------------------------------------------------------------

    private IndexResult awaitJob(String id) {
        long deadline = System.nanoTime() + jobTimeout.toNanos();
        while (true) {
            JsonNode job = send("GET", "jobs/" + segment(id), null);
            String state = job.get("state").stringValue();
            if (state.equals("succeeded") || state.equals("failed")) {
                List<IndexResult.Item> errors = job.has("errors")
                        ? convert(job.get("errors"), new TypeReference<List<IndexResult.Item>>() {}) : List.of();
                if (state.equals("failed") && job.hasNonNull("error")) {
                    Map<String, Object> problem = convert(job, new TypeReference<Map<String, Object>>() {});
                    throw LsrProblemException.of("job " + id, 500,
                            Map.of("title", "Indexing job failed", "detail", job.get("error").stringValue(), "job", problem));
                }
                return new IndexResult(job.get("indexed").intValue(), job.get("failed").intValue(), errors, id);
            }
            if (System.nanoTime() > deadline) {
                throw new LsrTransportException("job " + id + " did not finish within " + jobTimeout + " (state " + state + ")", null);
            }
            try {
                Thread.sleep(jobPoll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LsrTransportException("interrupted while waiting for job " + id, e);
            }
        }
    }

    private JsonNode send(String method, String path, Object body) {
        return parse(exchange(method, path, body), method + " " + path);
    }

    private HttpResponse<String> exchange(String method, String path, Object body) {
        HttpRequest.Builder b = request(path);
        if (body != null) {
            b.header("Content-Type", JSON_TYPE);
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LsrTransportException(method + " " + base.resolve(path) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LsrTransportException(method + " " + base.resolve(path) + " interrupted", e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", JSON_TYPE);
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    /** The body of a 2xx answer as JSON (empty object for 204), or the problem as an exception. */
    private JsonNode parse(HttpResponse<String> r, String request) {
        int status = r.statusCode();
        String body = r.body();
        if (status >= 200 && status < 300) {
            if (body == null || body.isEmpty()) {
                return json.createObjectNode();
            }
            try {
                return json.readTree(body);
            } catch (JacksonException e) {
                throw new LsrTransportException(request + ": " + status + " with a body that is not JSON: " + snippet(body), e);
            }
        }
        Map<String, Object> problem;
        try {
            problem = body == null || body.isBlank() ? Map.of()
                    : json.readValue(body, new TypeReference<Map<String, Object>>() {});
        } catch (JacksonException e) {
            problem = Map.of("detail", snippet(body));
        }
        if (problem == null) {
            problem = Map.of();
        }
        throw LsrProblemException.of(request, status, problem);
    }

    private static String snippet(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        return json.treeToValue(node, type);
    }

    private <T> T convert(JsonNode node, TypeReference<T> type) {
        return json.readValue(json.treeAsTokens(node), type);
    }

    private CollectionInfo collectionInfo(JsonNode r) {
        Map<String, Object> settings = convert(r.get("settings"), new TypeReference<Map<String, Object>>() {});
        return new CollectionInfo(r.get("name").stringValue(), settings, convert(r.get("stats"), CollectionStats.class));
    }

    private static Map<String, Object> documentJson(Document d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        if (d.title() != null) {
            m.put("title", d.title());
        }
        if (d.text() != null) {
            m.put("text", d.text());
        }
        if (!d.metadata().isEmpty()) {
            m.put("metadata", d.metadata());
        }
        if (d.vector() != null) {
            m.put("vector", d.vector().toJson());
        }
        return m;
    }

    private static SparseVector vector(JsonNode v) {
        if (v.has("indices")) {
            JsonNode ix = v.get("indices");
            JsonNode vx = v.get("values");
            int[] ids = new int[ix.size()];
            float[] ws = new float[vx.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ix.get(i).intValue();
                ws[i] = vx.get(i).floatValue();
            }
            return SparseVector.of(ids, ws);
        }
        Map<String, Float> tokens = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            tokens.put(e.getKey(), e.getValue().floatValue());
        }
        return SparseVector.ofTokens(tokens);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.stringValue();
    }

    private static String segment(String s) {
        Objects.requireNonNull(s, "name");
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Options of a client; only the base URI is required. */
    public static final class Builder {
        private final URI baseUri;
        private String apiKey;
        private Duration timeout = Duration.ofSeconds(60);
        private Duration jobPoll = Duration.ofMillis(100);
        private Duration jobTimeout = Duration.ofMinutes(30);
        private HttpClient httpClient;

        private Builder(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            if (baseUri.getScheme() == null || !(baseUri.getScheme().equals("http") || baseUri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("the lsr service URI must be http:// or https://, was " + baseUri);
            }
        }

        /** The service's {@code lsr.api-key}, sent as {@code Authorization: Bearer} (writes need it when set). */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** Connect and per-request timeout (default 60 s). */
        public Builder timeout(Duration t) {
            this.timeout = Objects.requireNonNull(t, "timeout");
            return this;
        }

        /** How often and how long {@code addDocuments} polls a background job (default 100 ms, 30 min). */
        public Builder jobPolling(Duration every, Duration atMost) {
            this.jobPoll = Objects.requireNonNull(every, "every");
            this.jobTimeout = Objects.requireNonNull(atMost, "atMost");
            return this;
        }

        /** Use this HTTP client (not closed by {@link LsrClient#close()}) instead of a new one. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        public LsrClient build() {
            return new LsrClient(this);
        }
    }
}
