package dev.lsr.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.jobs.Job;
import dev.lsr.api.jobs.Jobs;
import dev.lsr.api.schema.DocumentInput;
import dev.lsr.api.schema.FilterSchema;
import dev.lsr.api.schema.Metadata;
import dev.lsr.api.schema.SparseVectorSchema;
import dev.lsr.api.service.CollectionService;
import dev.lsr.api.service.IndexingService;
import dev.lsr.api.service.VectorJson;
import dev.lsr.engine.EngineCollection;
import dev.lsr.index.Document;
import dev.lsr.index.Filter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/collections/{name}/documents")
@Tag(name = "documents")
public final class DocumentController {

    public static final String NDJSON = "application/x-ndjson";

    private final CollectionService collections;
    private final IndexingService indexing;
    private final Jobs jobs;
    private final JsonMapper json;
    /** Reads one document at a time from a parser that goes on past it (array elements, NDJSON lines). */
    private final ObjectReader oneValue;
    private final LsrProperties.Limits limits;

    public DocumentController(CollectionService collections, IndexingService indexing, Jobs jobs, JsonMapper json,
            LsrProperties properties) {
        this.collections = collections;
        this.indexing = indexing;
        this.jobs = jobs;
        this.json = json;
        this.oneValue = json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.limits = properties.limits();
    }

    /** A document as stored, vector in the token form when the collection has a model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Document")
    public record DocumentView(String id, String title, String text,
            @Schema(implementation = Metadata.class) Map<String, Object> metadata,
            @Schema(implementation = SparseVectorSchema.class) Object vector) {}

    /** {@code DELETE /collections/{name}/documents/{id}}. */
    @Schema(name = "Deleted")
    public record Deleted(String id, String result) {}

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    @Operation(summary = "Add or replace documents",
            description = "A JSON array or NDJSON of {id, title?, text?, metadata?, vector?}. Text is encoded with the "
                    + "collection's model unless a vector is given. Up to lsr.limits.async-batch documents: 200 with a status "
                    + "per document; more: 202 and a job at /jobs/{id}. ?refresh=true makes them searchable at once, "
                    + "?commit=true durable.")
    // The body is streamed by hand (array or NDJSON, each document parsed on its own so that a bad
    // one fails alone); the annotations publish what it holds and the two answers.
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, array = @ArraySchema(schema = @Schema(implementation = DocumentInput.class))),
            @Content(mediaType = NDJSON, schema = @Schema(implementation = DocumentInput.class,
                    description = "one document per line"))})
    @ApiResponse(responseCode = "200", description = "indexed now: a status per document",
            content = @Content(schema = @Schema(implementation = IndexingService.BatchResult.class)))
    @ApiResponse(responseCode = "202", description = "more than lsr.limits.async-batch documents: a background job (Location: /jobs/{id})",
            content = @Content(schema = @Schema(implementation = Job.Snapshot.class)))
    public ResponseEntity<?> add(@PathVariable String name, HttpServletRequest request,
            @RequestParam(defaultValue = "false") boolean refresh, @RequestParam(defaultValue = "false") boolean commit)
            throws IOException {
        EngineCollection c = collections.get(name);
        MediaType type = MediaType.parseMediaType(request.getContentType());
        List<JsonNode> docs;
        try (InputStream in = request.getInputStream()) {
            docs = NDJSON.equals(type.getType() + "/" + type.getSubtype()) ? readNdjson(in) : readArray(in);
        }
        if (docs.isEmpty()) {
            throw ApiException.badRequest("no documents in the request body");
        }
        if (docs.size() > limits.asyncBatch()) {
            Job job = jobs.submit(c, docs, refresh, commit);
            return ResponseEntity.accepted().location(URI.create("/jobs/" + job.id())).body(job.snapshot());
        }
        IndexingService.BatchResult result = indexing.index(c, docs, 0);
        if (result.indexed() == 0) {
            String first = result.items().getFirst().error();
            throw new ApiException(HttpStatus.BAD_REQUEST,
                    (docs.size() == 1 ? "" : "all " + docs.size() + " documents failed; the first: ") + first,
                    Map.of("failed", result.failed(), "items", result.items()));
        }
        c.commitAndRefresh(commit, refresh);
        return ResponseEntity.ok(result);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One document with its vector (as of the latest refresh)")
    public DocumentView get(@PathVariable String name, @PathVariable String id) {
        EngineCollection c = collections.get(name);
        Document d = c.get(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "document '" + id + "' is not in collection '" + name + "' (or not visible yet: writes appear after a refresh)"));
        Object vector = d.vector() == null || d.vector().isEmpty() ? null : VectorJson.write(d.vector(), c.vocabulary());
        return new DocumentView(d.id(), d.title(), d.text(), d.metadata() == null || d.metadata().isEmpty() ? null : d.metadata(), vector);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a document by id (?refresh=true, ?commit=true as for adding)")
    public Deleted delete(@PathVariable String name, @PathVariable String id,
            @RequestParam(defaultValue = "false") boolean refresh, @RequestParam(defaultValue = "false") boolean commit) {
        EngineCollection c = collections.get(name);
        c.delete(id);
        c.commitAndRefresh(commit, refresh);
        return new Deleted(id, "deleted");
    }

    /** {@code POST /collections/{name}/documents/delete}: what a filter matches. */
    @Schema(name = "DeleteByFilterRequest")
    public record DeleteByFilter(@Schema(implementation = FilterSchema.class, requiredMode = Schema.RequiredMode.REQUIRED) JsonNode filter) {}

    /** How many documents a delete by filter matched. */
    @Schema(name = "DeletedByFilter")
    public record DeletedByFilter(long deleted) {}

    @PostMapping(path = "/delete", consumes = "application/json")
    @Operation(summary = "Delete every document a metadata filter matches (?refresh=true, ?commit=true as for adding);"
            + " answers how many it matched")
    public DeletedByFilter deleteByFilter(@PathVariable String name, @RequestBody DeleteByFilter body,
            @RequestParam(defaultValue = "false") boolean refresh, @RequestParam(defaultValue = "false") boolean commit) {
        if (body == null || body.filter() == null || body.filter().isNull()) {
            throw ApiException.badRequest("field 'filter' is required: the documents to delete (to delete the whole collection, DELETE /collections/" + name + ")");
        }
        EngineCollection c = collections.get(name);
        long deleted = c.deleteByFilter(Filter.of(body.filter()));
        c.commitAndRefresh(commit, refresh);
        return new DeletedByFilter(deleted);
    }

    private List<JsonNode> readArray(InputStream in) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser p = json.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw ApiException.badRequest("the body must be a JSON array of documents (or NDJSON with Content-Type "
                        + NDJSON + "), got " + (first == null ? "nothing" : first.asString() == null ? first.name() : first.asString()));
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == null) {
                    throw ApiException.badRequest("malformed JSON: the array of documents is not closed");
                }
                checkBatch(docs.size() + 1);
                docs.add(oneValue.readValue(p));
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("malformed JSON" + at(p.currentLocation()) + ": unexpected content after the array");
            }
        } catch (JacksonException e) {
            if (BodyTooLargeException.in(e) != null) {
                throw BodyTooLargeException.in(e);
            }
            throw ApiException.badRequest("malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        }
        return docs;
    }

    private List<JsonNode> readNdjson(InputStream in) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser p = json.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw ApiException.badRequest("NDJSON" + at(p.currentLocation()) + ": each line must be one document object");
                }
                checkBatch(docs.size() + 1);
                docs.add(oneValue.readValue(p));
            }
        } catch (JacksonException e) {
            if (BodyTooLargeException.in(e) != null) {
                throw BodyTooLargeException.in(e);
            }
            throw ApiException.badRequest("malformed NDJSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        }
        return docs;
    }

    private void checkBatch(int n) {
        if (n > limits.maxBatch()) {
            throw ApiException.limit(HttpStatus.CONTENT_TOO_LARGE, "lsr.limits.max-batch", limits.maxBatch(),
                    "more than " + limits.maxBatch() + " documents in one request (lsr.limits.max-batch); split the batch");
        }
    }

    private static String at(TokenStreamLocation loc) {
        return loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
}
