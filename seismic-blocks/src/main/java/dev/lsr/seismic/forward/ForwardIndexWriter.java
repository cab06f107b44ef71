package dev.lsr.seismic.forward;

import dev.lsr.seismic.InvalidVectorException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Writes a {@link ForwardIndex} of a known size straight into native memory: for a caller that
 * can count documents and entries first (a second pass over data it streams, such as a Lucene
 * segment's doc values). Unlike {@link ForwardIndex.Builder} nothing is held on the heap, nothing
 * grows and nothing is copied: the heap a build needs stays independent of the collection's size.
 * Entries are encoded exactly as the builder encodes them. Not thread-safe.
 */
public final class ForwardIndexWriter {

    private final int dim;
    private final int docs;
    private final long nnz;
    private final WeightEncoding encoding;
    private final boolean wide;
    private final MemorySegment offsets;
    private final MemorySegment ids;
    private final MemorySegment weights;
    private final MemorySegment scales;
    private int size;
    private long entries;

    /** Room for exactly {@code docs} documents holding {@code nnz} entries in all. */
    public ForwardIndexWriter(int dim, WeightEncoding encoding, int docs, long nnz) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be > 0, was " + dim);
        }
        if (docs < 0 || nnz < 0) {
            throw new IllegalArgumentException("docs and nnz must be >= 0, were " + docs + ", " + nnz);
        }
        this.dim = dim;
        this.docs = docs;
        this.nnz = nnz;
        this.encoding = encoding;
        this.wide = ForwardIndex.wideIds(dim);
        Arena arena = Arena.ofAuto();
        this.offsets = arena.allocate((docs + 1L) * 8, 8);
        this.ids = arena.allocate(nnz * ForwardIndex.idBytes(dim), 8);
        this.weights = arena.allocate(nnz * ForwardIndex.weightBytes(encoding), 8);
        this.scales = arena.allocate(encoding == WeightEncoding.U8 ? docs * 4L : 0, 8);
    }

    /**
     * Appends the next document: {@code n} entries of ascending term ids and weights > 0 (the
     * caller's arrays are read, not kept).
     */
    public void add(int[] termIds, float[] termWeights, int n) {
        if (size == docs) {
            throw new IllegalStateException("all " + docs + " documents were already added");
        }
        if (entries + n > nnz) {
            throw new IllegalStateException("document " + size + " exceeds the " + nnz + " entries announced");
        }
        if (n > 0 && termIds[n - 1] >= dim) {
            throw new InvalidVectorException("document " + size + ": term id " + termIds[n - 1]
                    + " is outside [0, " + dim + ")");
        }
        for (int i = 0; i < n; i++) {
            long e = entries + i;
            if (wide) {
                ids.set(Layouts.I32, e * 4, termIds[i]);
            } else {
                ids.set(Layouts.I16, e * 2, (short) termIds[i]);
            }
        }
        if (encoding == WeightEncoding.F16) {
            for (int i = 0; i < n; i++) {
                weights.set(Layouts.I16, (entries + i) * 2, ForwardIndex.Builder.f16(termWeights[i]));
            }
        } else {
            float scale = ForwardIndex.Builder.u8Scale(termWeights, n);
            scales.set(Layouts.F32, size * 4L, scale);
            for (int i = 0; i < n; i++) {
                weights.set(Layouts.U8, entries + i, ForwardIndex.Builder.u8(termWeights[i], scale));
            }
        }
        entries += n;
        size++;
        offsets.set(Layouts.I64, size * 8L, entries);
    }

    /** The index; every announced document and entry must have been added. */
    public ForwardIndex finish() {
        if (size != docs || entries != nnz) {
            throw new IllegalStateException("announced " + docs + " documents / " + nnz + " entries, added "
                    + size + " / " + entries);
        }
        return new ForwardIndex(size, dim, encoding, offsets, ids, weights, scales);
    }
}
