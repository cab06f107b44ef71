package dev.lsr.eval.index;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.index.Document;
import dev.lsr.seismic.Vocabulary;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams documents from JSONL (optionally gzipped), one object per line, with their vectors or
 * (a BEIR {@code corpus.jsonl}: {@code _id, title, text}) without, for the caller to encode:
 * Anserini JsonVectorCollection {@code {"id", "contents", "vector": {token: weight}}} or vector
 * JSONL {@code {"id"|"_id", "title"?, "text"?, "metadata"?, "vector": {token: weight} |
 * {"indices": [...], "values": [...]}}}. Token keys need a vocabulary. Errors name file and line.
 */
public final class PreEncodedReader implements Iterator<Document>, Closeable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Path file;
    private final BufferedReader in;
    private final Vocabulary vocabulary;
    private final int dim;
    private final boolean vectorsOptional;
    private long line;
    private Document next;

    /**
     * @param vectorsOptional documents without {@code vector} are returned with a null vector (for
     *     the caller to encode) instead of being an error
     */
    public PreEncodedReader(Path file, Vocabulary vocabularyOrNull, int dim, boolean vectorsOptional) throws IOException {
        this.file = file;
        InputStream raw = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPInputStream(raw, 1 << 16);
        }
        this.in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), 1 << 16);
        this.vocabulary = vocabularyOrNull;
        this.dim = dim;
        this.vectorsOptional = vectorsOptional;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        try {
            for (String s; (s = in.readLine()) != null; ) {
                line++;
                if (!s.isBlank()) {
                    next = parse(s);
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ":" + line + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Document next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Document d = next;
        next = null;
        return d;
    }

    private Document parse(String s) {
        JsonNode o;
        try {
            o = MAPPER.readTree(s);
        } catch (JacksonException e) {
            throw bad("not valid JSON: " + e.getOriginalMessage());
        }
        if (!o.isObject()) {
            throw bad("expected a JSON object");
        }
        JsonNode idNode = o.has("id") ? o.get("id") : o.get("_id");
        if (idNode == null || !(idNode.isString() || idNode.isNumber())) {
            throw bad("field 'id' (or '_id') is missing");
        }
        String id = idNode.asString();
        String text = o.has("contents") ? o.get("contents").asString() : o.has("text") ? o.get("text").asString() : null;
        String title = o.has("title") ? o.get("title").asString() : null;
        Map<String, Object> metadata = null;
        if (o.has("metadata")) {
            if (!o.get("metadata").isObject()) {
                throw bad("field 'metadata' must be an object");
            }
            metadata = MAPPER.convertValue(o.get("metadata"), MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
        }
        JsonNode v = o.get("vector");
        if (v == null && vectorsOptional) {
            return new Document(id, title, text, metadata, null);
        }
        if (v == null || !v.isObject()) {
            throw bad("field 'vector' is missing or not an object (to encode text, pass --model with a model directory)");
        }
        int[] ids;
        float[] ws;
        if (v.has("indices") && v.has("values")) {
            JsonNode is = v.get("indices");
            JsonNode vs = v.get("values");
            if (!is.isArray() || !vs.isArray() || is.size() != vs.size()) {
                throw bad("'vector.indices' and 'vector.values' must be arrays of equal length");
            }
            ids = new int[is.size()];
            ws = new float[is.size()];
            for (int i = 0; i < ids.length; i++) {
                if (!is.get(i).canConvertToInt() || !vs.get(i).isNumber()) {
                    throw bad("'vector' entry " + i + " is not an (int, number) pair");
                }
                ids[i] = is.get(i).asInt();
                ws[i] = vs.get(i).floatValue();
            }
        } else {
            if (vocabulary == null) {
                throw bad("'vector' is keyed by tokens but no vocabulary is known (pass --model DIR with vocab.txt or tokenizer.json, "
                        + "or use {\"indices\": [...], \"values\": [...]})");
            }
            ids = new int[v.size()];
            ws = new float[v.size()];
            int i = 0;
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                var tid = vocabulary.id(e.getKey());
                if (tid.isEmpty()) {
                    throw bad("'vector' token '" + e.getKey() + "' is not in the vocabulary");
                }
                if (!e.getValue().isNumber()) {
                    throw bad("'vector' weight of token '" + e.getKey() + "' is not a number");
                }
                ids[i] = tid.getAsInt();
                ws[i++] = e.getValue().floatValue();
            }
        }
        try {
            return new Document(id, title, text, metadata, Document.vector(id, ids, ws, dim));
        } catch (RuntimeException e) {
            throw bad(e.getMessage());
        }
    }

    private BadInputException bad(String what) {
        return new BadInputException(file + ":" + line + ": " + what);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
