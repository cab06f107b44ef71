package dev.lsr.index.codec;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FilterBinaryDocValues;

/** The sparse field's doc values, carrying the segment's search structure for {@code SparseQuery}. */
public final class SparseBinaryDocValues extends FilterBinaryDocValues {

    private final SparseSegment segment;

    SparseBinaryDocValues(BinaryDocValues in, SparseSegment segment) {
        super(in);
        this.segment = segment;
    }

    public SparseSegment segment() {
        return segment;
    }
}
