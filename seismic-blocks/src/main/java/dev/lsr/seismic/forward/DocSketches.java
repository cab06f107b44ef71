package dev.lsr.seismic.forward;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A short fixed-size sketch of every document: its {@code terms} largest weights, stored as one
 * record of {@code terms * 3} bytes at {@code ord * terms * 3}: the terms as u16, then their
 * weights as u8 codes of a log-scale {@link SketchCodebook} shared by the index, zero-padded.
 * Search scores candidates on sketches first and rescores only the best of them from the
 * {@link ForwardIndex}: a sketch of 32 terms is two cache lines at a position computed from the
 * ordinal, where a full document (~160 terms) is a random read of its offsets and then ten lines
 * in two sections, and those random reads dominate query time.
 *
 * <p>Every sketch weight is rounded toward zero, so for a query with non-negative weights a
 * sketch score never exceeds the document's exact score (the forward index's weights summed over
 * a subset of its terms): a threshold taken from sketch scores only skips fewer blocks.
 *
 * <p>Why 3 bytes per term and not a term with its half-float weight in 4: the sketches were a third
 * of what a 1M-document realistic index adds to its forward index (128 of 390 MB), and the
 * codebook's 3.3% steps rank candidates for the exact rescoring as well as half floats did
 * (seismic-blocks README, "Document sketches").
 *
 * <p>Only for vocabularies of at most 65,536 terms (ids fit in 16 bits); {@link #NONE} otherwise.
 */
public final class DocSketches {

    /** No sketches: search scores every candidate from the forward index. */
    public static final DocSketches NONE = new DocSketches(0, MemorySegment.ofArray(new byte[0]), SketchCodebook.EMPTY);

    private final int terms;
    private final MemorySegment records;
    private final SketchCodebook codebook;
    /** The codebook's weights on the heap: the kernel's lookups stay in L1. */
    private final float[] decode;

    /**
     * @param terms    entries per record (a multiple of 4), 0 for no sketches
     * @param records  {@code size} records of {@code terms * 3} bytes
     * @param codebook what the u8 weight codes stand for
     */
    public DocSketches(int terms, MemorySegment records, SketchCodebook codebook) {
        if (terms < 0 || terms % 4 != 0) {
            throw new IllegalArgumentException("sketch terms must be a non-negative multiple of 4, was " + terms);
        }
        if (terms == 0 && records.byteSize() != 0) {
            throw new IllegalArgumentException("sketch records without sketch terms");
        }
        if (terms > 0 && records.byteSize() % (terms * 3L) != 0) {
            throw new IllegalArgumentException("sketch records are not whole records of " + terms + " terms");
        }
        this.terms = terms;
        this.records = records;
        this.codebook = codebook;
        this.decode = codebook.weights();
    }

    public int terms() {
        return terms;
    }

    public MemorySegment records() {
        return records;
    }

    public SketchCodebook codebook() {
        return codebook;
    }

    public boolean present() {
        return terms > 0;
    }

    /** Documents sketched. */
    public long size() {
        return terms == 0 ? 0 : records.byteSize() / (terms * 3L);
    }

    /** Bytes of the records and the codebook. */
    public long bytes() {
        return terms == 0 ? 0 : records.byteSize() + codebook.segment().byteSize();
    }

    /** A copy of the records in {@code arena} (e.g. anonymous memory for records mapped from a file). */
    public DocSketches copyInto(Arena arena) {
        if (terms == 0) {
            return this;
        }
        MemorySegment copy = arena.allocate(records.byteSize(), 64);
        MemorySegment.copy(records, 0, copy, 0, records.byteSize());
        return new DocSketches(terms, copy, codebook);
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

    /**
     * Zeroed records for every document of {@code forward} (or {@link #NONE}), to {@link #fill},
     * with the codebook of the collection's largest weight.
     */
    public static DocSketches allocate(ForwardIndex forward, int terms) {
        if (terms == 0 || !supports(forward.dim())) {
            return NONE;
        }
        if (terms < 0 || terms % 4 != 0) {
            throw new IllegalArgumentException("sketch terms must be a non-negative multiple of 4, was " + terms);
        }
        float max = 0f;
        for (int d = 0; d < forward.size(); d++) {
            for (int i = 0, n = forward.length(d); i < n; i++) {
                max = Math.max(max, forward.weightAt(d, i));
            }
        }
        return new DocSketches(terms, Arena.ofAuto().allocate((long) forward.size() * terms * 3, 64),
                SketchCodebook.forMax(max));
    }

    /**
     * Sketches of a version 2 index file (records of {@code u16 term | f16 weight << 16}), re-encoded
     * into this layout in {@code arena}.
     */
    public static DocSketches fromHalfFloatRecords(int terms, MemorySegment old, Arena arena) {
        if (terms == 0) {
            return NONE;
        }
        if (terms % 4 != 0 || old.byteSize() % (terms * 4L) != 0) {
            throw new IllegalArgumentException("half-float sketch records are not whole records of " + terms + " terms");
        }
        long entries = old.byteSize() / 4;
        float max = 0f;
        for (long e = 0; e < entries; e++) {
            max = Math.max(max, Float.float16ToFloat((short) (old.get(Layouts.I32, e * 4) >>> 16)));
        }
        SketchCodebook cb = SketchCodebook.forMax(max);
        long docs = entries / terms;
        MemorySegment recs = arena.allocate(docs * terms * 3, 64);
        for (long d = 0; d < docs; d++) {
            long base = d * terms * 3;
            for (int j = 0; j < terms; j++) {
                int v = old.get(Layouts.I32, (d * terms + j) * 4);
                recs.set(Layouts.I16, base + 2L * j, (short) v);
                recs.set(Layouts.U8, base + 2L * terms + j, (byte) cb.encode(Float.float16ToFloat((short) (v >>> 16))));
            }
        }
        return new DocSketches(terms, recs, cb);
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
                float w = forward.weightAt(d, i);
                // Non-negative floats order like their bits: sort (weight desc, term asc) as longs.
                long bits = w > 0f ? Float.floatToRawIntBits(w) : 0;
                packed[i] = ((0x7FFFFFFFL - bits) << 16) | forward.termAt(d, i);
            }
            Arrays.sort(packed, 0, n);
            long base = (long) d * terms * 3;
            long codes = base + 2L * terms;
            for (int j = 0; j < terms; j++) {
                int term = 0;
                int code = 0;
                if (j < n) {
                    term = (int) packed[j] & 0xFFFF;
                    code = codebook.encode(Float.intBitsToFloat((int) (0x7FFFFFFFL - (packed[j] >>> 16))));
                }
                records.set(Layouts.I16, base + 2L * j, (short) term);
                records.set(Layouts.U8, codes + j, (byte) code);
            }
        }
    }

    /**
     * Sketch scores of {@code ords[0, count)} into {@code out}: first one load per record line so
     * that the misses of all records overlap, then the products with four partial sums.
     *
     * @return a value derived from the touched bytes, to be folded into a field by the caller
     */
    public long scoreBatch(int[] ords, int count, float[] denseQuery, float[] out) {
        MemorySegment r = records;
        long stride = terms * 3L;
        long codeOffset = terms * 2L;
        long sink = 0;
        for (int i = 0; i < count; i++) {
            long base = ords[i] * stride;
            sink += r.get(Layouts.I32, base) + r.get(Layouts.I32, base + stride - 4);
        }
        float[] q = denseQuery;
        float[] dec = decode;
        for (int i = 0; i < count; i++) {
            long base = ords[i] * stride;
            long codes = base + codeOffset;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            for (int j = 0; j < terms; j += 4) {
                long t = r.get(Layouts.I64, base + 2L * j);
                int c = r.get(Layouts.I32, codes + j);
                a0 += dec[c & 0xFF] * q[(int) t & 0xFFFF];
                a1 += dec[(c >>> 8) & 0xFF] * q[(int) (t >>> 16) & 0xFFFF];
                a2 += dec[(c >>> 16) & 0xFF] * q[(int) (t >>> 32) & 0xFFFF];
                a3 += dec[c >>> 24] * q[(int) (t >>> 48) & 0xFFFF];
            }
            out[i] = (a0 + a1) + (a2 + a3);
        }
        return sink;
    }

    /** Reference for {@link #scoreBatch}: one document, entry by entry, in double. */
    public double scoreReference(int ord, float[] denseQuery) {
        double sum = 0;
        for (int j = 0; j < terms; j++) {
            sum += (double) weightAt(ord, j) * denseQuery[termAt(ord, j)];
        }
        return sum;
    }

    /** Term of entry {@code j} of document {@code ord}'s sketch (padding entries hold term 0, weight 0). */
    public int termAt(int ord, int j) {
        return records.get(Layouts.I16, (long) ord * terms * 3 + 2L * j) & 0xFFFF;
    }

    /** Weight of entry {@code j}: its code's codebook weight. */
    public float weightAt(int ord, int j) {
        return codebook.weight(records.get(Layouts.U8, (long) ord * terms * 3 + 2L * terms + j) & 0xFF);
    }
}
