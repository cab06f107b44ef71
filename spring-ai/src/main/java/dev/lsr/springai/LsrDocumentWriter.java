package dev.lsr.springai;

import dev.lsr.client.IndexResult;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.WriteOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.DocumentWriter;

/**
 * A Spring AI {@link DocumentWriter} (the end of an ETL pipeline: reader, splitter, writer) into an
 * lsr collection, remote ({@link dev.lsr.client.LsrClient}) or embedded. Each document keeps its id
 * (writing it again replaces it), its text is encoded by the collection's model, its metadata is
 * stored and filterable; a metadata {@code title} becomes the document's title, as
 * {@link LsrDocumentRetriever} returns it. {@link #delete(String)} removes what a filter expression
 * matches, e.g. a source's chunks before it is written again.
 *
 * <pre>{@code
 * LsrDocumentWriter writer = LsrDocumentWriter.builder().lsr(client).collection("docs").build();
 * writer.write(new TokenTextSplitter().apply(new TextReader(resource).get()));
 * }</pre>
 */
public final class LsrDocumentWriter implements DocumentWriter {

    private final LsrOperations lsr;
    private final String collection;
    private final int batchSize;
    private final WriteOptions writeOptions;

    private LsrDocumentWriter(Builder b) {
        this.lsr = Objects.requireNonNull(b.lsr, "lsr (an LsrClient or an embedded engine) is required");
        this.collection = Objects.requireNonNull(b.collection, "collection is required");
        this.batchSize = b.batchSize;
        this.writeOptions = b.writeOptions;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the documents in batches; the last batch with the writer's options (by default
     * refreshed: searchable when this returns).
     *
     * @throws LsrWriteException when documents were refused (the others are written), naming each
     */
    @Override
    public void accept(List<Document> documents) {
        List<IndexResult.Item> failures = lsr.addInBatches(collection, documents.stream().map(LsrDocumentWriter::toLsr).toList(),
                batchSize, writeOptions);
        if (!failures.isEmpty()) {
            throw new LsrWriteException(collection, documents.size(), failures);
        }
    }

    /**
     * Deletes every document a Spring AI filter expression matches (e.g. {@code source == 'a.pdf'});
     * returns how many. Written with the writer's options.
     */
    public long delete(String filterExpression) {
        return lsr.deleteByFilter(collection, LsrFilterExpressions.parse(Objects.requireNonNull(filterExpression, "filterExpression")),
                writeOptions);
    }

    static dev.lsr.client.Document toLsr(Document d) {
        Map<String, Object> metadata = new LinkedHashMap<>(d.getMetadata());
        Object title = metadata.remove("title");
        dev.lsr.client.Document out = dev.lsr.client.Document.ofText(d.getId(), d.getText() == null ? "" : d.getText());
        if (title != null) {
            out = out.withTitle(title.toString());
        }
        return metadata.isEmpty() ? out : out.withMetadata(metadata);
    }

    /** Options; {@code lsr} and {@code collection} are required. */
    public static final class Builder {
        private LsrOperations lsr;
        private String collection;
        private int batchSize = 256;
        private WriteOptions writeOptions = WriteOptions.refreshed();

        private Builder() {}

        public Builder lsr(LsrOperations operations) {
            this.lsr = operations;
            return this;
        }

        public Builder collection(String name) {
            this.collection = name;
            return this;
        }

        /** Documents per request (default 256, the service's largest batch answered at once). */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, was " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Refresh and commit of the last batch (default: refreshed). */
        public Builder writeOptions(WriteOptions options) {
            this.writeOptions = Objects.requireNonNull(options, "writeOptions");
            return this;
        }

        public LsrDocumentWriter build() {
            return new LsrDocumentWriter(this);
        }
    }
}
