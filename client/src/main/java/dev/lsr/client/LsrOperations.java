package dev.lsr.client;

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
}
