package dev.lsr.seismic.search;

import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.forward.WeightEncoding;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

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
        return of(forward, null);
    }

    /**
     * The postings of {@code forward} in the lists of the terms {@code keepOrNull} marks (null:
     * every term): what {@link #of(ForwardIndex, boolean[])} would hold, counted in one pass over
     * the term ids.
     */
    public static long postings(ForwardIndex forward, boolean[] keepOrNull) {
        if (keepOrNull == null) {
            return forward.nnz();
        }
        MemorySegment ids = forward.idsSegment();
        boolean wide = ForwardIndex.wideIds(forward.dim());
        long count = 0;
        for (long e = 0, nnz = forward.nnz(); e < nnz; e++) {
            if (keepOrNull[termAt(ids, wide, e)]) {
                count++;
            }
        }
        return count;
    }

    /**
     * Only the lists of the terms {@code keepOrNull} marks (null: every term), the others empty:
     * enough for {@link InvertedExactSearcher} on queries over those terms (a query reads only its
     * own terms' lists), at the memory of their postings alone.
     */
    public static InvertedLists of(ForwardIndex forward, boolean[] keepOrNull) {
        int n = forward.size();
        int dim = forward.dim();
        long nnzAll = forward.nnz();
        MemorySegment off = forward.offsetsSegment();
        MemorySegment ids = forward.idsSegment();
        MemorySegment ws = forward.weightsSegment();
        MemorySegment sc = forward.scalesSegment();
        boolean wide = ForwardIndex.wideIds(dim);
        boolean f16 = forward.encoding() == WeightEncoding.F16;
        long[] counts = new long[dim + 1];
        for (long e = 0; e < nnzAll; e++) {
            int t = termAt(ids, wide, e);
            if (keepOrNull == null || keepOrNull[t]) {
                counts[t + 1]++;
            }
        }
        for (int t = 0; t < dim; t++) {
            counts[t + 1] += counts[t];
        }
        if (counts[dim] > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("inverted lists hold at most 2^31 postings, these would hold " + counts[dim]);
        }
        int nnz = (int) counts[dim];
        int[] starts = new int[dim + 1];
        for (int t = 0; t <= dim; t++) {
            starts[t] = (int) counts[t];
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
                if (keepOrNull != null && !keepOrNull[t]) {
                    continue;
                }
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

    /**
     * Lists built from float vectors given document by document (not from a forward index, so the
     * weights are kept exactly): {@code termCounts[t]} must be the number of documents that will
     * hold term t (a first pass over the documents counts them). For a structure that holds no
     * {@link ForwardIndex}, e.g. a small Lucene segment searched by
     * {@link InvertedExactSearcher#inTermOrder}.
     */
    public static Builder builder(int size, int dim, int[] termCounts) {
        return new Builder(size, dim, termCounts);
    }

    /** Fills lists whose lengths were counted first; documents in ascending order. Not thread-safe. */
    public static final class Builder {
        private final int size;
        private final int dim;
        private final int[] starts;
        private final int[] fill;
        private final int[] docs;
        private final float[] weights;
        private final float[] maxWeights;
        private int lastDoc = -1;

        private Builder(int size, int dim, int[] termCounts) {
            if (termCounts.length != dim) {
                throw new IllegalArgumentException("termCounts has " + termCounts.length + " entries, dim is " + dim);
            }
            long total = 0;
            starts = new int[dim + 1];
            for (int t = 0; t < dim; t++) {
                if (termCounts[t] < 0 || termCounts[t] > size) {
                    throw new IllegalArgumentException("term " + t + " counted in " + termCounts[t] + " of " + size + " documents");
                }
                total += termCounts[t];
                if (total > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("inverted lists hold at most 2^31 postings");
                }
                starts[t + 1] = (int) total;
            }
            this.size = size;
            this.dim = dim;
            this.fill = Arrays.copyOf(starts, dim);
            this.docs = new int[(int) total];
            this.weights = new float[(int) total];
            this.maxWeights = new float[dim];
        }

        /** Appends document {@code doc}'s entries {@code [0, n)}: term ids strictly increasing, in {@code [0, dim)}. */
        public Builder add(int doc, int[] ids, float[] ws, int n) {
            if (doc <= lastDoc || doc >= size) {
                throw new IllegalArgumentException("document " + doc + " after " + lastDoc + " (size " + size + ")");
            }
            lastDoc = doc;
            for (int i = 0; i < n; i++) {
                int t = ids[i];
                int p = fill[t]++;
                if (p >= starts[t + 1]) {
                    throw new IllegalStateException("term " + t + " has more postings than counted ("
                            + (starts[t + 1] - starts[t]) + ")");
                }
                docs[p] = doc;
                weights[p] = ws[i];
                if (ws[i] > maxWeights[t]) {
                    maxWeights[t] = ws[i];
                }
            }
            return this;
        }

        public InvertedLists build() {
            for (int t = 0; t < dim; t++) {
                if (fill[t] != starts[t + 1]) {
                    throw new IllegalStateException("term " + t + " got " + (fill[t] - starts[t]) + " postings, "
                            + (starts[t + 1] - starts[t]) + " were counted");
                }
            }
            return new InvertedLists(size, dim, starts, docs, weights, maxWeights);
        }
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

    /** Postings of term {@code term} (0 for a term outside {@code [0, dim)}). */
    public int length(int term) {
        return term < 0 || term >= dim ? 0 : starts[term + 1] - starts[term];
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
