package dev.lsr.client;

import java.util.Map;
import java.util.Objects;

/**
 * A document to add, or one read back. Text ({@code title} + {@code text}) is encoded by the
 * collection's model on the server unless a {@code vector} is given.
 *
 * @param id unique within the collection; adding an existing id replaces the document
 * @param title optional title (searched by BM25, encoded with the text)
 * @param text optional body text
 * @param metadata flat map of strings, numbers and booleans, usable in filters; never null
 * @param vector a pre-encoded vector, or null to let the server encode the text
 */
public record Document(String id, String title, String text, Map<String, Object> metadata, SparseVector vector) {

    public Document {
        Objects.requireNonNull(id, "id");
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** A text document for the server to encode. */
    public static Document ofText(String id, String text) {
        return new Document(id, null, text, Map.of(), null);
    }

    /** A pre-encoded document (its text kept for display and BM25). */
    public static Document ofVector(String id, String text, SparseVector vector) {
        return new Document(id, null, text, Map.of(), Objects.requireNonNull(vector, "vector"));
    }

    public Document withTitle(String newTitle) {
        return new Document(id, newTitle, text, metadata, vector);
    }

    public Document withMetadata(Map<String, ?> newMetadata) {
        return new Document(id, title, text, newMetadata == null ? null : Map.copyOf(newMetadata), vector);
    }

    public Document withVector(SparseVector newVector) {
        return new Document(id, title, text, metadata, newVector);
    }
}
