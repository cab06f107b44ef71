package dev.lsr.index;

import dev.lsr.seismic.SparseVector;
import java.util.Map;

/**
 * A document as callers give and get it.
 *
 * @param id unique within the collection; an upsert with an existing id replaces that document
 * @param title optional, stored and BM25-indexed
 * @param text optional, stored and BM25-indexed
 * @param metadata optional flat object: string, number or boolean values only (they can be used
 *     in filters); nested objects and arrays are rejected
 * @param vector the document's sparse vector; {@code null} is stored as the empty vector (the
 *     document is then found by BM25 and filters, never by sparse search)
 */
public record Document(String id, String title, String text, Map<String, Object> metadata, SparseVector vector) {

    public Document {
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    public static Document of(String id, String text, SparseVector vector) {
        return new Document(id, null, text, Map.of(), vector);
    }

    /**
     * Builds a document's vector from caller arrays (any order), reporting bad entries (NaN,
     * infinite, zero or negative weights, ids outside {@code [0, dim)}, duplicates) as an
     * {@link InvalidDocumentException} that names the document and the field.
     */
    public static SparseVector vector(String documentId, int[] termIds, float[] weights, int dim) {
        try {
            return SparseVector.ofUnsorted(termIds, weights, dim);
        } catch (dev.lsr.seismic.InvalidVectorException e) {
            throw new InvalidDocumentException(
                    "document '" + documentId + "': field 'vector': " + e.getMessage(), e);
        }
    }
}
