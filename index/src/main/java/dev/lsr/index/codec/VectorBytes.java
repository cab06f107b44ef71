package dev.lsr.index.codec;

import dev.lsr.seismic.SparseVector;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteArrayDataOutput;
import org.apache.lucene.util.BytesRef;

/**
 * The byte layout of one sparse vector inside the sparse binary doc-values field:
 * {@code vint n}, then per entry {@code vint idDelta, int floatBits} (little-endian). Interleaving
 * ids and weights lets {@link #dot} stream a document in one pass without allocating.
 */
public final class VectorBytes {

    private VectorBytes() {}

    public static BytesRef encode(SparseVector v) {
        int n = v.size();
        byte[] buf = new byte[5 + n * 9];
        ByteArrayDataOutput out = new ByteArrayDataOutput(buf);
        try {
            out.writeVInt(n);
            int prev = 0;
            for (int i = 0; i < n; i++) {
                int id = v.index(i);
                out.writeVInt(id - prev);
                out.writeInt(Float.floatToRawIntBits(v.value(i)));
                prev = id;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot happen: in-memory output", e);
        }
        return new BytesRef(buf, 0, out.getPosition());
    }

    /** Decodes a stored vector (already validated when it was written). */
    public static SparseVector decode(BytesRef bytes, int dim) {
        ByteArrayDataInput in = new ByteArrayDataInput(bytes.bytes, bytes.offset, bytes.length);
        int n = in.readVInt();
        int[] ids = new int[n];
        float[] ws = new float[n];
        int id = 0;
        for (int i = 0; i < n; i++) {
            id += in.readVInt();
            ids[i] = id;
            ws[i] = Float.intBitsToFloat(in.readInt());
        }
        return SparseVector.wrap(ids, ws, dim);
    }

    /**
     * Decodes a stored vector into the caller's arrays (at least its length long, e.g. sized by
     * a first pass), reusing {@code scratch}; returns the number of entries.
     */
    public static int decodeInto(BytesRef bytes, int[] ids, float[] weights, ByteArrayDataInput scratch) {
        scratch.reset(bytes.bytes, bytes.offset, bytes.length);
        int n = scratch.readVInt();
        int id = 0;
        for (int i = 0; i < n; i++) {
            id += scratch.readVInt();
            ids[i] = id;
            weights[i] = Float.intBitsToFloat(scratch.readInt());
        }
        return n;
    }

    /**
     * Dot product of a stored vector with a dense query, summed in term-id order (the same order
     * as {@link SparseVector#dot(float[])}, so both give bit-identical scores).
     */
    public static float dot(BytesRef bytes, float[] dense, ByteArrayDataInput scratch) {
        scratch.reset(bytes.bytes, bytes.offset, bytes.length);
        int n = scratch.readVInt();
        int id = 0;
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            id += scratch.readVInt();
            sum += Float.intBitsToFloat(scratch.readInt()) * dense[id];
        }
        return sum;
    }
}
