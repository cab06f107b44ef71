package dev.lsr.index.codec;

import java.io.Closeable;
import java.io.IOException;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.IOSupplier;

/**
 * One segment's sparse search structure, shared by all readers of the segment. A segment below
 * the exact-search threshold has none ({@link #hasStructure()} is false) and is searched exactly
 * over its unpruned inverted lists ({@link #lists}).
 */
public final class SparseSegment implements Closeable {

    static final byte KIND_EXACT = 0;
    static final byte KIND_SEISMIC = 1;
    /** Seismic, built for a recall target, followed by the search setting tuned for it. */
    static final byte KIND_SEISMIC_TUNED = 2;
    /** As {@link #KIND_SEISMIC_TUNED}, with the depth the setting was checked at (format version 1). */
    static final byte KIND_SEISMIC_TUNED_AT_DEPTH = 3;

    private final int dim;
    private final int maxDoc;
    private final SeismicBlobs.Opened seismic;
    private final int tunedQueryCut;
    private final float tunedHeapFactor;
    private final int tunedDepth;
    /** Structure-less segments only: their unpruned lists, built on first search. */
    private volatile SegmentLists lists;

    private SparseSegment(int dim, int maxDoc, SeismicBlobs.Opened seismic, int tunedQueryCut, float tunedHeapFactor,
            int tunedDepth) {
        this.dim = dim;
        this.maxDoc = maxDoc;
        this.seismic = seismic;
        this.tunedQueryCut = tunedQueryCut;
        this.tunedHeapFactor = tunedHeapFactor;
        this.tunedDepth = tunedDepth;
    }

    static SparseSegment open(byte kind, int dim, int maxDoc, IndexInput in, long blobStart, long blobLength,
            String fileName, int tunedQueryCut, float tunedHeapFactor, int tunedDepth) throws IOException {
        return switch (kind) {
            case KIND_EXACT -> new SparseSegment(dim, maxDoc, null, 0, 0f, 0);
            case KIND_SEISMIC -> new SparseSegment(dim, maxDoc,
                    SeismicBlobs.open(in, blobStart, blobLength, fileName), 0, 0f, 0);
            case KIND_SEISMIC_TUNED, KIND_SEISMIC_TUNED_AT_DEPTH -> new SparseSegment(dim, maxDoc,
                    SeismicBlobs.open(in, blobStart, blobLength, fileName), tunedQueryCut, tunedHeapFactor, tunedDepth);
            default -> throw new org.apache.lucene.index.CorruptIndexException("unknown sparse segment kind " + kind, in);
        };
    }

    public int dim() {
        return dim;
    }

    public int maxDoc() {
        return maxDoc;
    }

    /** Whether a Seismic structure was built for this segment (else it is searched exactly). */
    public boolean hasStructure() {
        return seismic != null;
    }

    /** The query cut tuned for this segment's recall target at build time; 0 when it was not tuned. */
    public int tunedQueryCut() {
        return tunedQueryCut;
    }

    /** The heap factor tuned with {@link #tunedQueryCut()}; meaningful only when that is above 0. */
    public float tunedHeapFactor() {
        return tunedHeapFactor;
    }

    /**
     * The top-k depth at which {@link #tunedQueryCut()} was checked to reach the recall target:
     * the segment's share of a top-10 of the collection it was written into (twice it, at most
     * 10; see the codec's self-check), 10 for segments written before it was recorded; 0 when the
     * segment was not tuned.
     */
    public int tunedDepth() {
        return tunedDepth;
    }

    /** The Seismic structure; only when {@link #hasStructure()}. */
    public SeismicBlobs.Opened seismic() {
        if (seismic == null) {
            throw new IllegalStateException("segment has no Seismic structure");
        }
        return seismic;
    }

    /**
     * The unpruned inverted lists of a segment without a Seismic structure, built from its stored
     * vectors on the first call ({@code values} gives a fresh iterator over the segment's sparse
     * field; called twice then, never again) and kept for the segment's life.
     */
    public SegmentLists lists(IOSupplier<BinaryDocValues> values) throws IOException {
        if (seismic != null) {
            throw new IllegalStateException("a segment with a Seismic structure is not inverted again");
        }
        SegmentLists l = lists;
        if (l == null) {
            synchronized (this) {
                l = lists;
                if (l == null) {
                    l = SegmentLists.build(values.get(), values.get(), maxDoc, dim);
                    lists = l;
                }
            }
        }
        return l;
    }

    /** Whether {@link #lists} has been built (a segment without a structure that was searched). */
    public boolean listsBuilt() {
        return lists != null;
    }

    @Override
    public void close() throws IOException {
        if (seismic != null) {
            seismic.close();
        }
    }
}
