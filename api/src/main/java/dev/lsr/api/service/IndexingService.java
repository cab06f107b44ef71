package dev.lsr.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lsr.engine.AddResult;
import dev.lsr.engine.EngineCollection;
import dev.lsr.index.Document;
import dev.lsr.index.IndexException;
import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a batch of JSON documents into index {@link Document}s and hands them to the collection's
 * {@link EngineCollection#add} (which encodes text with the collection's model), reporting a status
 * per document: one bad document fails alone, never the whole batch.
 */
@Service
public final class IndexingService {

    private static final Set<String> MEMBERS = Set.of("id", "title", "text", "metadata", "vector");

    private final JsonMapper json;
    private final MeterRegistry meters;

    public IndexingService(JsonMapper json, MeterRegistry meters) {
        this.json = json;
        this.meters = meters;
    }

    /** One document's outcome. {@code position} is its place in the request (0-based). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DocumentStatus")
    public record Item(int position, String id, String status, String error,
            @Schema(description = "true when the text was cut at the model's max tokens before encoding (absent otherwise)")
            Boolean truncated) {
        public static final String INDEXED = "indexed";
        public static final String FAILED = "failed";

        public Item(int position, String id, String status, String error) {
            this(position, id, status, error, null);
        }
    }

    /** Outcome of a batch, items in request order. */
    @Schema(name = "BatchResult")
    public record BatchResult(int indexed, int failed, List<Item> items) {}

    /** A parsed document, or why it could not be parsed. */
    private record Parsed(int position, String id, Document document, String error) {}

    /**
     * Indexes {@code docs}; {@code offset} is the position of {@code docs[0]} in the whole request
     * (for items and messages of background jobs working in chunks).
     */
    public BatchResult index(EngineCollection collection, List<JsonNode> docs, int offset) {
        Vocabulary vocabulary = collection.vocabulary();
        int dim = collection.settings().dim();
        Item[] items = new Item[docs.size()];
        List<Document> ready = new ArrayList<>();
        List<Integer> readyAt = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Parsed p = parse(docs.get(i), offset + i, vocabulary, dim, collection.model() != null);
            if (p.error() != null) {
                items[i] = new Item(p.position(), p.id(), Item.FAILED, p.error());
            } else {
                ready.add(p.document());
                readyAt.add(i);
            }
        }
        if (!ready.isEmpty()) {
            AddResult added = collection.add(ready);
            if (added.encodeMicros() > 0) {
                Timer.builder("lsr.encode").description("time to encode texts with a model")
                        .tag("kind", "document").publishPercentileHistogram().register(meters)
                        .record(added.encodeMicros(), TimeUnit.MICROSECONDS);
            }
            for (int j = 0; j < ready.size(); j++) {
                AddResult.Item it = added.items().get(j);
                items[readyAt.get(j)] = new Item(offset + readyAt.get(j), it.id(), it.status(), it.error(),
                        it.truncated() ? Boolean.TRUE : null);
            }
        }
        int indexed = (int) Arrays.stream(items).filter(it -> it.status().equals(Item.INDEXED)).count();
        meters.counter("lsr.documents.indexed", "collection", collection.name()).increment(indexed);
        if (indexed < items.length) {
            meters.counter("lsr.documents.failed", "collection", collection.name()).increment(items.length - indexed);
        }
        return new BatchResult(indexed, items.length - indexed, List.of(items));
    }

    private Parsed parse(JsonNode node, int position, Vocabulary vocabulary, int dim, boolean hasModel) {
        String where = "document #" + position;
        if (node == null || !node.isObject()) {
            return failed(position, null, where + ": expected an object {id, title?, text?, metadata?, vector?}");
        }
        JsonNode idNode = node.get("id");
        String id = null;
        if (idNode != null && (idNode.isString() || idNode.isIntegralNumber())) {
            id = idNode.asString();
        }
        if (id == null || id.isEmpty()) {
            return failed(position, null, where + ": 'id' is required and must be a non-empty string or an integer");
        }
        where = "document '" + id + "' (#" + position + ")";
        for (String key : node.propertyNames()) {
            if (!MEMBERS.contains(key)) {
                return failed(position, id, where + ": unknown member '" + key + "' (a document has id, title, text, metadata, vector)");
            }
        }
        String title;
        String text;
        try {
            title = optionalString(node, "title", where);
            text = optionalString(node, "text", where);
        } catch (IllegalArgumentException e) {
            return failed(position, id, e.getMessage());
        }
        Map<String, Object> metadata = null;
        JsonNode meta = node.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                return failed(position, id, where + ": 'metadata' must be an object, got " + meta.getNodeType().name().toLowerCase());
            }
            metadata = json.convertValue(meta, Map.class);
        }
        SparseVector vector = null;
        JsonNode vec = node.get("vector");
        if (vec != null && !vec.isNull()) {
            try {
                vector = VectorJson.parse(vec, where + ": 'vector'", vocabulary, dim);
            } catch (InvalidVectorException e) {
                return failed(position, id, e.getMessage());
            }
        }
        if (vector == null) {
            if (join(title, text) == null) {
                return failed(position, id, where + ": give 'text' (or 'title') to encode, or a 'vector'");
            }
            if (!hasModel) {
                return failed(position, id, where + ": the collection has no model, so the document needs a 'vector'");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> md = metadata;
        try {
            return new Parsed(position, id, new Document(id, title, text, md, vector), null);
        } catch (IndexException | IllegalArgumentException e) {
            return failed(position, id, where + ": " + e.getMessage());
        }
    }

    /** Title and text as one passage, the way retrieval models read a document. */
    private static String join(String title, String text) {
        boolean hasTitle = title != null && !title.isBlank();
        boolean hasText = text != null && !text.isBlank();
        if (hasTitle && hasText) {
            return title + " " + text;
        }
        return hasTitle ? title : hasText ? text : null;
    }

    private static String optionalString(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        return v.stringValue();
    }

    private static Parsed failed(int position, String id, String error) {
        return new Parsed(position, id, null, error);
    }
}
