package dev.lsr.index;

import java.util.function.BooleanSupplier;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * Turns a Lucene failure into the {@link IndexException} a caller sees: a writer stopped by a
 * storage failure, a closed collection, or a plain I/O error, each named with the collection and
 * the operation.
 */
final class Failures {

    private final String name;
    private final IndexWriter writer;
    private final BooleanSupplier closed;

    Failures(String name, IndexWriter writer, BooleanSupplier closed) {
        this.name = name;
        this.writer = writer;
        this.closed = closed;
    }

    IndexException of(String what, Exception e) {
        Throwable tragic = writer.getTragicException();
        boolean isClosed = closed.getAsBoolean();
        if (tragic != null && !isClosed) {
            return new IndexException("collection '" + name + "': " + what + " failed: writes stopped after a storage failure ("
                    + tragic.getMessage() + "); the collection reopens from its last commit on next use", e);
        }
        if (isClosed || e instanceof AlreadyClosedException) {
            return new IndexException("collection '" + name + "' is closed (" + what + ")", e);
        }
        return new IndexException("collection '" + name + "': " + what + " failed: " + e.getMessage(), e);
    }

    /** True when Lucene's writer gave up after an I/O failure it cannot roll back in place. */
    boolean writerFailed() {
        return writer.getTragicException() != null;
    }

    void ensureOpen() {
        if (closed.getAsBoolean()) {
            throw new IndexException("collection '" + name + "' is closed");
        }
    }
}
