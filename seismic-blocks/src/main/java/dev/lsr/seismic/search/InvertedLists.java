package dev.lsr.seismic.search;

import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.forward.WeightEncoding;
import java.lang.foreign.MemorySegment;

/**
 * Unpruned, document-ordered inverted lists of a {@link ForwardIndex}: every stored (term, weight)
 * entry appears once, in the list of its term, documents ascending, with the decoded weight the
 * forward index scores with. Each list also keeps its largest weight (the MaxScore bound). The
 * structure behind {@link InvertedExactSearcher}; plain primitive arrays because its hot loop is
 * a scatter into an accumulator. Immutable and thread-safe once built.
 */
public final class InvertedLists {
    private final int size;
    private final int dim;
    /** dim + 1 entry offsets: list of term t is [starts[t], starts[t + 1]). */
    private final int[] starts;
    private final int[] docs;
    private final float[] weights;
    private final float[] maxWeights;

    private InvertedLists(int size, int dim, int[] starts, int[] docs, float[] weights, float[] maxWeights) {
        this.size = size;
        this.dim = dim;
        this.starts = starts;
        this.docs = docs;
        this.weights = weights;
        this.maxWeights = maxWeights;
    }

    /** Inverts {@code forward} in two passes over its sections (count, then fill). */
    public static InvertedLists of(ForwardIndex forward) {
        int n = forward.size();
        int dim = forward.dim();
        long nnzL = forward.nnz();
        if (nnzL > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("inverted lists hold at most 2^31 postings, the forward index has " + nnzL);
        }
        int nnz = (int) nnzL;
        MemorySegment off = forward.offsetsSegment();
        MemorySegment ids = forward.idsSegment();
        MemorySegment ws = forward.weightsSegment();
        MemorySegment sc = forward.scalesSegment();
        boolean wide = ForwardIndex.wideIds(dim);
        boolean f16 = forward.encoding() == WeightEncoding.F16;
        int[] starts = new int[dim + 1];
        for (long e = 0; e < nnz; e++) {
            starts[termAt(ids, wide, e) + 1]++;
        }
        for (int t = 0; t < dim; t++) {
            starts[t + 1] += starts[t];
        }
        int[] fill = starts.clone();
        int[] docs = new int[nnz];
        float[] weights = new float[nnz];
        float[] maxWeights = new float[dim];
        for (int d = 0; d < n; d++) {
            long s = off.get(Layouts.I64, d * 8L);
            long end = off.get(Layouts.I64, (d + 1L) * 8);
            float scale = f16 ? 1f : sc.get(Layouts.F32, d * 4L);
            for (long e = s; e < end; e++) {
                int t = termAt(ids, wide, e);
                // The same decoding as ForwardIndex.weightAt, so bounds and scores agree with it.
                float w = f16 ? Float.float16ToFloat(ws.get(Layouts.I16, e * 2))
                        : Byte.toUnsignedInt(ws.get(Layouts.U8, e)) * scale;
                int p = fill[t]++;
                docs[p] = d;
                weights[p] = w;
                if (w > maxWeights[t]) {
                    maxWeights[t] = w;
                }
            }
        }
        return new InvertedLists(n, dim, starts, docs, weights, maxWeights);
    }

    private static int termAt(MemorySegment ids, boolean wide, long e) {
        return wide ? ids.get(Layouts.I32, e * 4) : Short.toUnsignedInt(ids.get(Layouts.I16, e * 2));
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    public long postings() {
        return docs.length;
    }

    /** Bytes of all arrays. */
    public long bytes() {
        return 4L * starts.length + 4L * docs.length + 4L * weights.length + 4L * maxWeights.length;
    }

    int start(int term) {
        return starts[term];
    }

    int end(int term) {
        return starts[term + 1];
    }

    int[] docs() {
        return docs;
    }

    float[] weights() {
        return weights;
    }

    float maxWeight(int term) {
        return maxWeights[term];
    }
}
