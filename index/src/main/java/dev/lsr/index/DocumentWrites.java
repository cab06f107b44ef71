package dev.lsr.index;

import dev.lsr.index.write.DocumentMapper;
import dev.lsr.index.write.Fields;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.AlreadyClosedException;

/** Writes of a collection: upserts and deletes through the one Lucene writer, commits and merges. */
final class DocumentWrites {

    private final IndexWriter writer;
    private final DocumentMapper mapper;
    private final Failures failures;

    DocumentWrites(IndexWriter writer, DocumentMapper mapper, Failures failures) {
        this.writer = writer;
        this.mapper = mapper;
        this.failures = failures;
    }

    /** See {@link Collection#upsert}. */
    int upsert(List<Document> documents) {
        failures.ensureOpen();
        Map<String, org.apache.lucene.document.Document> byId = new LinkedHashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            Document d = documents.get(i);
            if (d == null) {
                throw new InvalidDocumentException("document at position " + i + " is null");
            }
            byId.remove(d.id());
            byId.put(d.id(), mapper.toLucene(d));
        }
        try {
            for (Map.Entry<String, org.apache.lucene.document.Document> e : byId.entrySet()) {
                writer.updateDocument(new Term(Fields.ID, e.getKey()), e.getValue());
            }
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of("upsert", e);
        }
        return byId.size();
    }

    void delete(String id) {
        failures.ensureOpen();
        try {
            writer.deleteDocuments(new Term(Fields.ID, id));
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of("delete", e);
        }
    }

    void deleteByFilter(Filter filter) {
        failures.ensureOpen();
        try {
            writer.deleteDocuments(filter.query());
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of("delete by filter", e);
        }
    }

    /** Commits when anything changed since the last commit (writes, deletes, merges); says whether it did. */
    boolean commitIfChanged() {
        failures.ensureOpen();
        if (!writer.hasUncommittedChanges()) {
            return false;
        }
        commit();
        return true;
    }

    void commit() {
        failures.ensureOpen();
        try {
            writer.commit();
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of("commit", e);
        }
    }

    /**
     * Schedules whatever the merge policy finds now (the background builds of pending segments
     * among it) and waits until every merge thread is done, the merges those cascade into
     * included.
     */
    void runScheduledMerges() {
        failures.ensureOpen();
        try {
            writer.maybeMerge();
            if (writer.getConfig().getMergeScheduler() instanceof ConcurrentMergeScheduler cms) {
                cms.sync();
            }
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of("background build", e);
        }
    }

    void forceMerge(int maxSegments) {
        failures.ensureOpen();
        try {
            writer.forceMerge(maxSegments, true);
        } catch (IOException | AlreadyClosedException e) {
            throw failures.of("force merge", e);
        }
    }
}
