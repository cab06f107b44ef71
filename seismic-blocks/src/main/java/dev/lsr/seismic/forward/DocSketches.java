package dev.lsr.seismic.forward;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A short fixed-size sketch of every document: its {@code terms} largest weights, stored as one
 * record of {@code terms} 4-byte entries ({@code u16 term | f16 weight << 16}) at
 * {@code ord * terms * 4}, zero-padded. Search scores candidates on sketches first and rescores
 * only the best of them from the {@link ForwardIndex}: a sketch of 32 terms is two cache lines at a
 * position computed from the ordinal, where a full document (~160 terms) is a random read of its
 * offsets and then ten lines in two sections, and those random reads dominate query time.
 *
 * <p>Every sketch weight is rounded toward zero, so for a query with non-negative weights a
 * sketch score never exceeds the document's exact score (the forward index's weights summed over
 * a subset of its terms): a threshold taken from sketch scores only skips fewer blocks.
 *
 * <p>Only for vocabularies of at most 65,536 terms (ids fit in 16 bits); {@link #NONE} otherwise.
 *
 * @param terms   entries per record (a multiple of 4), 0 for no sketches
 * @param records {@code size * terms} entries
 */
public record DocSketches(int terms, MemorySegment records) {

    /** No sketches: search scores every candidate from the forward index. */
    public static final DocSketches NONE = new DocSketches(0, MemorySegment.ofArray(new byte[0]));

    public DocSketches {
        if (terms < 0 || terms % 4 != 0) {
            throw new IllegalArgumentException("sketch terms must be a non-negative multiple of 4, was " + terms);
        }
        if (terms == 0 && records.byteSize() != 0) {
            throw new IllegalArgumentException("sketch records without sketch terms");
        }
        if (terms > 0 && records.byteSize() % (terms * 4L) != 0) {
            throw new IllegalArgumentException("sketch records are not whole records of " + terms + " terms");
        }
    }

    public boolean present() {
        return terms > 0;
    }

    /** Documents sketched. */
    public long size() {
        return terms == 0 ? 0 : records.byteSize() / (terms * 4L);
    }

    public long bytes() {
        return records.byteSize();
    }

    /** A copy of the records in {@code arena} (e.g. anonymous memory for records mapped from a file). */
    public DocSketches copyInto(Arena arena) {
        if (terms == 0) {
            return this;
        }
        MemorySegment copy = arena.allocate(records.byteSize(), 64);
        MemorySegment.copy(records, 0, copy, 0, records.byteSize());
        return new DocSketches(terms, copy);
    }

    /** Whether a forward index over {@code dim} terms can be sketched. */
    public static boolean supports(int dim) {
        return !ForwardIndex.wideIds(dim);
    }

    /**
     * Sketches of every document of {@code forward} with {@code terms} entries each, in native
     * memory, on this thread; {@link #NONE} when {@code terms} is 0 or the vocabulary is too wide.
     * Builders that have threads call {@link #allocate} and {@link #fill} over ranges instead.
     */
    public static DocSketches build(ForwardIndex forward, int terms) {
        DocSketches s = allocate(forward, terms);
        s.fill(forward, 0, forward.size());
        return s;
    }

    /** Zeroed records for every document of {@code forward} (or {@link #NONE}), to {@link #fill}. */
    public static DocSketches allocate(ForwardIndex forward, int terms) {
        if (terms == 0 || !supports(forward.dim())) {
            return NONE;
        }
        if (terms < 0 || terms % 4 != 0) {
            throw new IllegalArgumentException("sketch terms must be a non-negative multiple of 4, was " + terms);
        }
        return new DocSketches(terms, Arena.ofAuto().allocate((long) forward.size() * terms * 4, 64));
    }

    /**
     * Writes the sketches of documents {@code [from, to)}: their {@code terms} largest weights
     * (ties: lower term first). Disjoint ranges may be filled from different threads.
     */
    public void fill(ForwardIndex forward, int from, int to) {
        if (terms == 0) {
            return;
        }
        long[] packed = new long[256];
        for (int d = from; d < to; d++) {
            int n = forward.length(d);
            if (packed.length < n) {
                packed = new long[Math.max(n, packed.length * 2)];
            }
            for (int i = 0; i < n; i++) {
                int h = towardZero(forward.weightAt(d, i));
                // Non-negative halves order like their bits: sort (weight desc, term asc) as longs.
                packed[i] = ((long) (0xFFFF - h) << 32) | forward.termAt(d, i);
            }
            Arrays.sort(packed, 0, n);
            long base = (long) d * terms * 4;
            for (int j = 0; j < terms; j++) {
                int v = 0;
                if (j < n) {
                    int h = 0xFFFF - (int) (packed[j] >>> 32);
                    v = ((int) packed[j] & 0xFFFF) | h << 16;
                }
                records.set(Layouts.I32, base + j * 4L, v);
            }
        }
    }

    /** The half-float bits of the largest half not above {@code w} (w >= 0; negatives become 0). */
    static int towardZero(float w) {
        if (!(w > 0f)) {
            return 0;
        }
        short h = Float.floatToFloat16(w);
        if (Float.float16ToFloat(h) > w) {
            h--;
        }
        return h & 0xFFFF;
    }

    /**
     * Sketch scores of {@code ords[0, count)} into {@code out}: first one load per record line so
     * that the misses of all records overlap, then the products with four partial sums.
     *
     * @return a value derived from the touched bytes, to be folded into a field by the caller
     */
    public long scoreBatch(int[] ords, int count, float[] denseQuery, float[] out) {
        MemorySegment r = records;
        long stride = terms * 4L;
        long sink = 0;
        for (int i = 0; i < count; i++) {
            long base = ords[i] * stride;
            sink += r.get(Layouts.I32, base) + r.get(Layouts.I32, base + stride - 4);
        }
        float[] q = denseQuery;
        for (int i = 0; i < count; i++) {
            long base = ords[i] * stride;
            long end = base + stride;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            for (long e = base; e < end; e += 16) {
                int v0 = r.get(Layouts.I32, e);
                int v1 = r.get(Layouts.I32, e + 4);
                int v2 = r.get(Layouts.I32, e + 8);
                int v3 = r.get(Layouts.I32, e + 12);
                a0 += Float.float16ToFloat((short) (v0 >>> 16)) * q[v0 & 0xFFFF];
                a1 += Float.float16ToFloat((short) (v1 >>> 16)) * q[v1 & 0xFFFF];
                a2 += Float.float16ToFloat((short) (v2 >>> 16)) * q[v2 & 0xFFFF];
                a3 += Float.float16ToFloat((short) (v3 >>> 16)) * q[v3 & 0xFFFF];
            }
            out[i] = (a0 + a1) + (a2 + a3);
        }
        return sink;
    }

    /** Reference for {@link #scoreBatch}: one document, entry by entry, in double. */
    public double scoreReference(int ord, float[] denseQuery) {
        double sum = 0;
        long base = (long) ord * terms * 4;
        for (int j = 0; j < terms; j++) {
            int v = records.get(Layouts.I32, base + j * 4L);
            sum += (double) Float.float16ToFloat((short) (v >>> 16)) * denseQuery[v & 0xFFFF];
        }
        return sum;
    }

    /** Term of entry {@code j} of document {@code ord}'s sketch (padding entries hold term 0, weight 0). */
    public int termAt(int ord, int j) {
        return records.get(Layouts.I32, ((long) ord * terms + j) * 4) & 0xFFFF;
    }

    public float weightAt(int ord, int j) {
        return Float.float16ToFloat((short) (records.get(Layouts.I32, ((long) ord * terms + j) * 4) >>> 16));
    }
}
