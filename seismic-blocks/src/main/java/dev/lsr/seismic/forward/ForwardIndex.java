package dev.lsr.seismic.forward;

import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * Compact per-document storage of sparse vectors, random access by ordinal.
 *
 * <p>Term ids are u16 when {@code dim <= 65536}, else u32; weights are {@link WeightEncoding#F16}
 * or {@link WeightEncoding#U8} with a per-document scale. All data lives in {@link MemorySegment}s
 * (native memory when built, the mapped file when opened) so that a saved index is used in place.
 * Immutable and thread-safe.
 */
public final class ForwardIndex {

    private final int size;
    private final int dim;
    private final WeightEncoding encoding;
    private final boolean wideIds;
    /** i64 x (size + 1): entry offsets. */
    private final MemorySegment offsets;
    /** u16 or u32 per entry. */
    private final MemorySegment ids;
    /** f16 or u8 per entry. */
    private final MemorySegment weights;
    /** f32 per document for U8, empty for F16. */
    private final MemorySegment scales;

    /** Wraps existing sections (used by the builder and by {@code SeismicFormat.open}). */
    public ForwardIndex(int size, int dim, WeightEncoding encoding, MemorySegment offsets,
            MemorySegment ids, MemorySegment weights, MemorySegment scales) {
        this.size = size;
        this.dim = dim;
        this.encoding = encoding;
        this.wideIds = wideIds(dim);
        this.offsets = offsets;
        this.ids = ids;
        this.weights = weights;
        this.scales = scales;
        long nnz = size == 0 ? 0 : offsets.get(Layouts.I64, (long) size * 8);
        if (offsets.byteSize() != (size + 1L) * 8
                || ids.byteSize() != nnz * idBytes(dim)
                || weights.byteSize() != nnz * weightBytes(encoding)
                || scales.byteSize() != (encoding == WeightEncoding.U8 ? size * 4L : 0)) {
            throw new IllegalArgumentException("forward index sections have inconsistent sizes");
        }
    }

    public static boolean wideIds(int dim) {
        return dim > 65536;
    }

    public static int idBytes(int dim) {
        return wideIds(dim) ? 4 : 2;
    }

    public static int weightBytes(WeightEncoding e) {
        return e == WeightEncoding.F16 ? 2 : 1;
    }

    public static Builder builder(int dim, WeightEncoding encoding) {
        return new Builder(dim, encoding);
    }

    public static ForwardIndex of(List<SparseVector> docs, int dim, WeightEncoding encoding) {
        Builder b = builder(dim, encoding);
        for (SparseVector v : docs) {
            b.add(v);
        }
        return b.build();
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    public WeightEncoding encoding() {
        return encoding;
    }

    /** Total number of stored (term, weight) entries. */
    public long nnz() {
        return offsets.get(Layouts.I64, (long) size * 8);
    }

    /** Bytes of all sections. */
    public long bytes() {
        return offsets.byteSize() + ids.byteSize() + weights.byteSize() + scales.byteSize();
    }

    public MemorySegment offsetsSegment() {
        return offsets;
    }

    public MemorySegment idsSegment() {
        return ids;
    }

    public MemorySegment weightsSegment() {
        return weights;
    }

    public MemorySegment scalesSegment() {
        return scales;
    }

    public int length(int ord) {
        checkOrd(ord);
        return (int) (offsets.get(Layouts.I64, (ord + 1L) * 8) - offsets.get(Layouts.I64, ord * 8L));
    }

    /** Term id of the {@code i}-th entry of document {@code ord} (no bounds check on i). */
    public int termAt(int ord, int i) {
        long e = offsets.get(Layouts.I64, ord * 8L) + i;
        return wideIds ? ids.get(Layouts.I32, e * 4) : Short.toUnsignedInt(ids.get(Layouts.I16, e * 2));
    }

    /** Decoded weight of the {@code i}-th entry of document {@code ord}. */
    public float weightAt(int ord, int i) {
        long e = offsets.get(Layouts.I64, ord * 8L) + i;
        return encoding == WeightEncoding.F16
                ? Float.float16ToFloat(weights.get(Layouts.I16, e * 2))
                : Byte.toUnsignedInt(weights.get(Layouts.U8, e)) * scales.get(Layouts.F32, ord * 4L);
    }

    /** The stored (decoded) vector; the weights are the quantised values every search scores with. */
    public SparseVector vector(int ord) {
        checkOrd(ord);
        int n = length(ord);
        int[] idx = new int[n];
        float[] val = new float[n];
        for (int i = 0; i < n; i++) {
            idx[i] = termAt(ord, i);
            val[i] = weightAt(ord, i);
        }
        return SparseVector.wrap(idx, val, dim);
    }

    /**
     * Exact score of document {@code ord} against a query scattered into a dense array of at least
     * {@code dim} entries. The hot path of every search: a plain loop over the sections.
     */
    public float dot(int ord, float[] denseQuery) {
        long start = offsets.get(Layouts.I64, ord * 8L);
        long end = offsets.get(Layouts.I64, (ord + 1L) * 8);
        MemorySegment is = ids;
        MemorySegment ws = weights;
        if (encoding == WeightEncoding.F16) {
            float sum = 0f;
            if (wideIds) {
                for (long e = start; e < end; e++) {
                    sum += Float.float16ToFloat(ws.get(Layouts.I16, e * 2)) * denseQuery[is.get(Layouts.I32, e * 4)];
                }
            } else {
                // Four partial sums over the default layout: 2-3% faster per query at 1M in the
                // library harness once documents come in batches (realistic:1000000, 2026-12-05);
                // within the spread in the bench sitting after it (seismic-blocks/README.md).
                float a1 = 0f;
                float a2 = 0f;
                float a3 = 0f;
                long e = start;
                for (; e + 4 <= end; e += 4) {
                    long b = e * 2;
                    sum += Float.float16ToFloat(ws.get(Layouts.I16, b)) * denseQuery[Short.toUnsignedInt(is.get(Layouts.I16, b))];
                    a1 += Float.float16ToFloat(ws.get(Layouts.I16, b + 2)) * denseQuery[Short.toUnsignedInt(is.get(Layouts.I16, b + 2))];
                    a2 += Float.float16ToFloat(ws.get(Layouts.I16, b + 4)) * denseQuery[Short.toUnsignedInt(is.get(Layouts.I16, b + 4))];
                    a3 += Float.float16ToFloat(ws.get(Layouts.I16, b + 6)) * denseQuery[Short.toUnsignedInt(is.get(Layouts.I16, b + 6))];
                }
                for (; e < end; e++) {
                    sum += Float.float16ToFloat(ws.get(Layouts.I16, e * 2)) * denseQuery[Short.toUnsignedInt(is.get(Layouts.I16, e * 2))];
                }
                return (sum + a1) + (a2 + a3);
            }
            return sum;
        }
        float sum = 0f;
        if (wideIds) {
            for (long e = start; e < end; e++) {
                sum += Byte.toUnsignedInt(ws.get(Layouts.U8, e)) * denseQuery[is.get(Layouts.I32, e * 4)];
            }
        } else {
            for (long e = start; e < end; e++) {
                sum += Byte.toUnsignedInt(ws.get(Layouts.U8, e))
                        * denseQuery[Short.toUnsignedInt(is.get(Layouts.I16, e * 2))];
            }
        }
        return sum * scales.get(Layouts.F32, ord * 4L);
    }

    /**
     * Exact scores of {@code ords[0, count)} into {@code outScores[0, count)}; the same values as
     * {@link #dot} one by one. Scoring a handful of random documents one after the other is bound
     * by memory latency (each needs its offsets, then its ids and weights from DRAM), so this
     * first reads every document's offsets, then touches each document's cache lines, and only
     * then scores: the loads of one pass are independent, so the CPU overlaps their misses.
     *
     * @param starts scratch of at least {@code count} entries (the caller's, to stay allocation-free)
     * @return a value derived from the touched bytes; callers fold it into a field so the touch
     *         loads cannot be optimised away
     */
    public long dotBatch(int[] ords, int count, float[] denseQuery, float[] outScores, long[] starts) {
        MemorySegment off = offsets;
        for (int i = 0; i < count; i++) {
            starts[i] = off.get(Layouts.I64, ords[i] * 8L);
        }
        long idShift = wideIds ? 2 : 1;
        long wShift = encoding == WeightEncoding.F16 ? 1 : 0;
        MemorySegment is = ids;
        MemorySegment ws = weights;
        long sink = 0;
        for (int i = 0; i < count; i++) {
            long s = starts[i];
            long e = off.get(Layouts.I64, ords[i] * 8L + 8);
            if (e == s) {
                continue;
            }
            // Branch-free touches of the first six cache lines of each section (160 half-float
            // entries): a data-dependent loop would mispredict and stall the overlapped misses.
            long a = s << idShift;
            long aLast = (e << idShift) - 1;
            long b = s << wShift;
            long bLast = (e << wShift) - 1;
            sink += is.get(Layouts.U8, a) + ws.get(Layouts.U8, b)
                    + is.get(Layouts.U8, Math.min(a + 64, aLast)) + ws.get(Layouts.U8, Math.min(b + 64, bLast))
                    + is.get(Layouts.U8, Math.min(a + 128, aLast)) + ws.get(Layouts.U8, Math.min(b + 128, bLast))
                    + is.get(Layouts.U8, Math.min(a + 192, aLast)) + ws.get(Layouts.U8, Math.min(b + 192, bLast))
                    + is.get(Layouts.U8, Math.min(a + 256, aLast)) + ws.get(Layouts.U8, Math.min(b + 256, bLast))
                    + is.get(Layouts.U8, aLast) + ws.get(Layouts.U8, bLast);
        }
        for (int i = 0; i < count; i++) {
            outScores[i] = dot(ords[i], denseQuery);
        }
        return sink;
    }

    /** Reference for {@link #dot}: decode the vector, then the plain sparse-dense product. */
    public float dotReference(int ord, float[] denseQuery) {
        SparseVector v = vector(ord);
        double sum = 0;
        for (int i = 0; i < v.size(); i++) {
            sum += (double) v.value(i) * denseQuery[v.index(i)];
        }
        return (float) sum;
    }

    private void checkOrd(int ord) {
        if (ord < 0 || ord >= size) {
            throw new IndexOutOfBoundsException("ordinal " + ord + " outside [0, " + size + ")");
        }
    }

    /** Appends documents in ordinal order; not thread-safe. */
    public static final class Builder {
        private static final short F16_MAX = Float.floatToFloat16(65504f);

        private final int dim;
        private final WeightEncoding encoding;
        private final boolean wide;
        private long[] offsets = new long[1024];
        private short[] ids16 = new short[0];
        private int[] ids32 = new int[0];
        private short[] w16 = new short[0];
        private byte[] w8 = new byte[0];
        private float[] scales = new float[0];
        private int size;
        private int nnz;

        Builder(int dim, WeightEncoding encoding) {
            if (dim <= 0) {
                throw new IllegalArgumentException("dim must be > 0, was " + dim);
            }
            this.dim = dim;
            this.encoding = encoding;
            this.wide = wideIds(dim);
            if (encoding == WeightEncoding.U8) {
                scales = new float[1024];
            }
        }

        public int size() {
            return size;
        }

        /** Adds the next document; its ordinal is the number of documents added before it. */
        public Builder add(SparseVector v) {
            int n = v.size();
            if (n > 0 && v.index(n - 1) >= dim) {
                throw new InvalidVectorException("document " + size + ": term id " + v.index(n - 1)
                        + " is outside [0, " + dim + ")");
            }
            if ((long) nnz + n > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("forward index builder holds at most 2^31 entries");
            }
            ensure(nnz + n);
            if (size + 2 > offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            for (int i = 0; i < n; i++) {
                if (wide) {
                    ids32[nnz + i] = v.index(i);
                } else {
                    ids16[nnz + i] = (short) v.index(i);
                }
            }
            if (encoding == WeightEncoding.F16) {
                for (int i = 0; i < n; i++) {
                    w16[nnz + i] = f16(v.value(i));
                }
            } else {
                if (size + 1 > scales.length) {
                    scales = Arrays.copyOf(scales, scales.length * 2);
                }
                float max = 0f;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, v.value(i));
                }
                float scale = n == 0 ? 1f : max / 255f;
                scales[size] = scale;
                for (int i = 0; i < n; i++) {
                    w8[nnz + i] = u8(v.value(i), scale);
                }
            }
            nnz += n;
            size++;
            offsets[size] = nnz;
            return this;
        }

        /**
         * A weight as a half float, kept > 0 and finite: tiny ones round up to the smallest half,
         * huge ones saturate at the largest.
         */
        static short f16(float w) {
            short h = Float.floatToFloat16(w);
            if (h == 0) {
                h = 1;
            } else if (Float.isInfinite(Float.float16ToFloat(h))) {
                h = F16_MAX;
            }
            return h;
        }

        /** The U8 scale of a document: its largest weight maps to 255. */
        static float u8Scale(float[] w, int n) {
            float max = 0f;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, w[i]);
            }
            return n == 0 ? 1f : max / 255f;
        }

        static byte u8(float w, float scale) {
            return (byte) Math.clamp(Math.round(w / scale), 1, 255);
        }

        private void ensure(int need) {
            int cap = wide ? ids32.length : ids16.length;
            if (need <= cap) {
                return;
            }
            int newCap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, Math.max(4096L, cap * 3L / 2)));
            if (wide) {
                ids32 = Arrays.copyOf(ids32, newCap);
            } else {
                ids16 = Arrays.copyOf(ids16, newCap);
            }
            if (encoding == WeightEncoding.F16) {
                w16 = Arrays.copyOf(w16, newCap);
            } else {
                w8 = Arrays.copyOf(w8, newCap);
            }
        }

        /** Copies everything into native memory (freed when the index becomes unreachable). */
        public ForwardIndex build() {
            Arena arena = Arena.ofAuto();
            MemorySegment off = arena.allocate((size + 1L) * 8, 8);
            MemorySegment.copy(offsets, 0, off, Layouts.I64, 0, size + 1);
            MemorySegment idSeg = arena.allocate((long) nnz * idBytes(dim), 8);
            if (wide) {
                MemorySegment.copy(ids32, 0, idSeg, Layouts.I32, 0, nnz);
            } else {
                MemorySegment.copy(ids16, 0, idSeg, Layouts.I16, 0, nnz);
            }
            MemorySegment wSeg = arena.allocate((long) nnz * weightBytes(encoding), 8);
            MemorySegment scSeg;
            if (encoding == WeightEncoding.F16) {
                MemorySegment.copy(w16, 0, wSeg, Layouts.I16, 0, nnz);
                scSeg = arena.allocate(0, 8);
            } else {
                MemorySegment.copy(w8, 0, wSeg, Layouts.U8, 0, nnz);
                scSeg = arena.allocate(size * 4L, 8);
                MemorySegment.copy(scales, 0, scSeg, Layouts.F32, 0, size);
            }
            return new ForwardIndex(size, dim, encoding, off, idSeg, wSeg, scSeg);
        }
    }
}
