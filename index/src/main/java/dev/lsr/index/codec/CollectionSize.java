package dev.lsr.index.codec;

import java.util.function.LongSupplier;

/**
 * How many documents the collection a segment is written into holds, for the segment's
 * self-check ({@link SegmentSelfCheck#depth}): a segment holding a tenth of the collection needs
 * to find only its share of a query's top-k, not a top-k of its own. The codec is created before
 * the writer whose count it reads, so the count is bound once the writer exists; unbound (a
 * reader's codec, a test writing a lone segment) it is unknown and every segment counts as the
 * whole collection.
 */
public final class CollectionSize {

    private volatile LongSupplier docs;

    /** Binds the count, e.g. {@code writer::getPendingNumDocs} (documents added, flushed or not). */
    public void bind(LongSupplier documents) {
        this.docs = documents;
    }

    /** The collection's documents, or 0 when unknown. */
    public long documents() {
        LongSupplier d = docs;
        return d == null ? 0 : d.getAsLong();
    }
}
