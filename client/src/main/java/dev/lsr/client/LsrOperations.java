package dev.lsr.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the integrations (LangChain4j, Spring AI) need from lsr, whether it runs in another process
 * ({@link LsrClient}, over HTTP) or in this one (an embedded engine adapter), in the client's types.
 */
public interface LsrOperations {

    /** Hits best first; {@link NotFoundException} when the collection does not exist. */
    SearchResult search(String collection, SearchQuery query);

    /** Adds or replaces documents by id; documents refused alone are reported in the result. */
    IndexResult addDocuments(String collection, List<Document> documents, WriteOptions options);

    /** Creates a collection; {@link ConflictException} when it exists. */
    CollectionInfo createCollection(String name, CollectionSettings settings);

    /** A collection's settings and stats, or empty when there is none. */
    Optional<CollectionInfo> findCollection(String name);

    /** Deletes a document by id (nothing happens when it is absent). */
    void deleteDocument(String collection, String id, WriteOptions options);

    /** Deletes every document the filter matches; returns how many it matched. */
    long deleteByFilter(String collection, Filter filter, WriteOptions options);

    /**
     * Adds documents in requests of {@code batchSize}, the last one with {@code options} (the others
     * neither refreshed nor committed), and returns every refused document with its position in
     * {@code documents}; the others are written. What the integrations' ingestors do.
     */
    default List<IndexResult.Item> addInBatches(String collection, List<Document> documents, int batchSize, WriteOptions options) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        List<IndexResult.Item> refused = new ArrayList<>();
        for (int from = 0; from < documents.size(); from += batchSize) {
            int to = Math.min(documents.size(), from + batchSize);
            List<IndexResult.Item> items;
            try {
                items = addDocuments(collection, documents.subList(from, to), to == documents.size() ? options : WriteOptions.defaults()).items();
            } catch (BadRequestException e) {
                // Every document of the batch was refused: the problem lists them, as a result would.
                items = e.refusedItems();
                if (items.isEmpty()) {
                    throw e;
                }
            }
            for (IndexResult.Item item : items) {
                if (item.error() != null) {
                    refused.add(new IndexResult.Item(item.position() + from, item.id(), item.status(), item.error()));
                }
            }
        }
        return refused;
    }
}
