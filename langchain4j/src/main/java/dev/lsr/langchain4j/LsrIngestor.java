package dev.lsr.langchain4j;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.segment.TextSegment;
import dev.lsr.client.IndexResult;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.SparseVector;
import dev.lsr.client.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Puts LangChain4j {@link Document}s and {@link TextSegment}s (with their metadata) into an lsr
 * collection, in this process or over HTTP. Text is encoded by the collection's model unless vectors
 * are given; a segment's id is its metadata value under the id key (default {@code id}: ingesting
 * it again replaces it), else a random UUID. Returns the ids in input order.
 *
 * <pre>{@code
 * LsrIngestor ingestor = LsrIngestor.builder().lsr(client).collection("docs").build();
 * ingestor.ingest(Document.from("Lucene keeps inverted lists in segments.", Metadata.from("lang", "en")));
 * }</pre>
 */
public final class LsrIngestor {

    private final LsrOperations lsr;
    private final String collection;
    private final DocumentSplitter splitter;
    private final String idKey;
    private final int batchSize;
    private final WriteOptions writeOptions;

    private LsrIngestor(Builder b) {
        this.lsr = Objects.requireNonNull(b.lsr, "lsr (an LsrClient or an embedded engine) is required");
        this.collection = Objects.requireNonNull(b.collection, "collection is required");
        this.splitter = b.splitter;
        this.idKey = b.idKey;
        this.batchSize = b.batchSize;
        this.writeOptions = b.writeOptions;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Ingests documents, each split by the configured splitter, or whole as one segment. */
    public List<String> ingest(Document... documents) {
        return ingest(List.of(documents));
    }

    public List<String> ingest(List<Document> documents) {
        List<TextSegment> segments = new ArrayList<>();
        for (Document d : documents) {
            if (splitter == null) {
                segments.add(TextSegment.from(d.text(), d.metadata().copy()));
            } else {
                segments.addAll(splitter.split(d));
            }
        }
        return ingestSegments(segments);
    }

    /** Ingests segments; the collection's model encodes their text. */
    public List<String> ingestSegments(List<TextSegment> segments) {
        return write(segments, i -> null);
    }

    /** Ingests segments with their pre-encoded vectors ({@code vectors.get(i)} for {@code segments.get(i)}). */
    public List<String> ingestSegments(List<TextSegment> segments, List<SparseVector> vectors) {
        if (segments.size() != vectors.size()) {
            throw new IllegalArgumentException(segments.size() + " segments but " + vectors.size() + " vectors");
        }
        return write(segments, vectors::get);
    }

    /**
     * Removes every segment whose metadata the LangChain4j filter matches (mapped by
     * {@link LsrFilters}, as the retriever's filters are), e.g. the chunks of one source before it is
     * ingested again; returns how many were removed. Written with the ingestor's write options.
     */
    public long removeAll(dev.langchain4j.store.embedding.filter.Filter filter) {
        return lsr.deleteByFilter(collection, LsrFilters.toLsr(Objects.requireNonNull(filter, "filter")), writeOptions);
    }

    private List<String> write(List<TextSegment> segments, Function<Integer, SparseVector> vector) {
        List<String> ids = new ArrayList<>(segments.size());
        List<dev.lsr.client.Document> documents = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            TextSegment s = segments.get(i);
            Object given = s.metadata().toMap().get(idKey);
            String id = given != null ? given.toString() : UUID.randomUUID().toString();
            ids.add(id);
            documents.add(Segments.toLsr(id, idKey, s, vector.apply(i)));
        }
        List<IndexResult.Item> failures = lsr.addInBatches(collection, documents, batchSize, writeOptions);
        if (!failures.isEmpty()) {
            throw new LsrIngestException(collection, segments.size(), failures);
        }
        return ids;
    }

    /** Options; {@code lsr} and {@code collection} are required. */
    public static final class Builder {
        private LsrOperations lsr;
        private String collection;
        private DocumentSplitter splitter;
        private String idKey = "id";
        private int batchSize = 256;
        private WriteOptions writeOptions = WriteOptions.refreshed();

        private Builder() {}

        /** Where the collection lives: an {@link dev.lsr.client.LsrClient}, or an embedded engine's adapter. */
        public Builder lsr(LsrOperations operations) {
            this.lsr = operations;
            return this;
        }

        public Builder collection(String name) {
            this.collection = name;
            return this;
        }

        /** Splits each Document into segments (default: none, a Document is one segment). */
        public Builder documentSplitter(DocumentSplitter s) {
            this.splitter = s;
            return this;
        }

        /** The metadata key whose value is the document id (default {@code id}). */
        public Builder idKey(String key) {
            this.idKey = Objects.requireNonNull(key, "idKey");
            return this;
        }

        /** Documents per request (default 256). */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, was " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Refresh / commit after each ingest call (default: refreshed, so the segments are retrievable at once). */
        public Builder writeOptions(WriteOptions options) {
            this.writeOptions = Objects.requireNonNull(options, "writeOptions");
            return this;
        }

        public LsrIngestor build() {
            return new LsrIngestor(this);
        }
    }
}
