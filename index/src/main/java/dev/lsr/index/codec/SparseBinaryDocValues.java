package dev.lsr.index.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOSupplier;

/**
 * The sparse field's doc values, carrying the segment's search structure for {@code SparseQuery}.
 * Lucene's own binary doc values (index-input slices, an offsets reader) are opened on the first
 * call that reads them, not when this is created: a search reaches every segment's structure
 * through {@link #segment()} once per query, and the Seismic path never reads a stored vector, so
 * opening them eagerly cost about a fifth of a warm query's allocation (index README, "Left for
 * issue 13", item 4).
 */
public final class SparseBinaryDocValues extends BinaryDocValues {

    private final SparseSegment segment;
    private IOSupplier<BinaryDocValues> opener;
    private BinaryDocValues in;

    SparseBinaryDocValues(IOSupplier<BinaryDocValues> opener, SparseSegment segment) {
        this.opener = opener;
        this.segment = segment;
    }

    public SparseSegment segment() {
        return segment;
    }

    private BinaryDocValues in() throws IOException {
        if (in == null) {
            in = opener.get();
            opener = null;
        }
        return in;
    }

    @Override
    public BytesRef binaryValue() throws IOException {
        return in().binaryValue();
    }

    @Override
    public boolean advanceExact(int target) throws IOException {
        return in().advanceExact(target);
    }

    @Override
    public int docID() {
        // Unpositioned until opened, as a freshly opened iterator is.
        return in == null ? -1 : in.docID();
    }

    @Override
    public int nextDoc() throws IOException {
        return in().nextDoc();
    }

    @Override
    public int advance(int target) throws IOException {
        return in().advance(target);
    }

    @Override
    public long cost() {
        try {
            return in().cost();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
