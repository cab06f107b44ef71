package dev.lsr.encoder.head;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused SPLADE head: for each sequence, {@code max over real tokens t of (h_t . W_v + b_v)}
 * for every vocabulary entry v, without ever storing the {@code [tokens x vocab]} logits.
 *
 * <p>W is streamed panel by panel (32 vocabulary rows x hidden, packed by {@link HeadFile}). For each
 * panel and sequence, a register tile of 8 tokens x 2 vectors of vocabulary rows accumulates the dot
 * products with one FMA per (token, vector) per hidden index; the tile's results fold into a running
 * max that stays in registers across the sequence's token tiles, and only the final max per row is
 * written. Bias and the int8 row scale are applied once after the max (both commute with it: the
 * scale is non-negative). Short token tiles repeat their last real token, which leaves the max unchanged.
 *
 * <p>Large batches are split over vocabulary panels across a fixed pool owned by this object; the
 * calling thread takes one share. Safe to call from several threads at once; allocation per call is
 * the handful of task objects needed to fan out.
 */
public final class FusedHead implements AutoCloseable {

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());
    private static final VectorSpecies<Byte> BS =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FS.length() * 8)));
    private static final int L = FS.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int PANEL = HeadFile.PANEL;
    /** Each step of the kernel covers lanes [j0, j0+L) and [16+j0, 16+j0+L) of a panel. */
    private static final boolean VECTORISED = L <= 16 && 16 % L == 0;
    /** Below this many multiply-adds a call runs on the caller only: fan-out would cost more than it saves. */
    private static final long PARALLEL_MIN_MACS = 2_000_000L;
    /**
     * From this many real tokens in a call, an int8 panel is widened to floats once (into a per-thread
     * buffer) and every token tile of every sequence runs the fp32 tile over it, instead of widening
     * the panel's bytes again in each tile: at T=256 the per-tile B2F conversions competed with the
     * FMAs for the vector ports (int8 60.2 ms vs fp32 54.1 ms, encoder/README.md). Below it (a query)
     * there are one or two tiles, and the per-tile conversion costs less than a widening pass.
     */
    static final int UNPACK_MIN_TOKENS = 24;

    private final HeadWeights w;
    private final int threads;
    private final ExecutorService pool;
    private final int unpackMinTokens;
    /** The widened int8 panel ({@code [hidden][32]} floats), one per thread that runs panels; null for other dtypes. */
    private final ThreadLocal<float[]> unpacked;

    /** @param threads threads used for large batches, the caller included (1 = caller only, no pool) */
    public FusedHead(HeadWeights w, int threads) {
        this(w, threads, UNPACK_MIN_TOKENS);
    }

    /** @param unpackMinTokens real tokens per call from which int8 panels are widened once per panel (tests force either path) */
    FusedHead(HeadWeights w, int threads, int unpackMinTokens) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.w = w;
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, daemonThreads()) : null;
        this.unpackMinTokens = unpackMinTokens;
        int panelFloats = PANEL * w.hidden();
        this.unpacked = w.dtype() == HeadDType.INT8 ? ThreadLocal.withInitial(() -> new float[panelFloats]) : null;
    }

    public HeadWeights weights() {
        return w;
    }

    public int threads() {
        return threads;
    }

    /** The vector length the kernel runs at on this machine (floats per register). */
    public static int lanes() {
        return L;
    }

    /**
     * Heap bytes one call allocates besides {@code out}: the fan-out tasks only; the kernel's tiles
     * live in registers. A conservative constant per thread, used by the benchmark's memory report.
     */
    public long scratchBytes() {
        long widened = w.dtype() == HeadDType.INT8 ? 4L * PANEL * w.hidden() : 0;
        return (256L + widened) * threads;
    }

    /**
     * @param hidden {@code [batch * tokens * hidden]} row-major hidden states
     * @param mask {@code [batch * tokens]}, 1 for a real token, 0 for padding
     * @param out {@code [batch * vocab]}: max over real tokens of {@code h_t . W_v + b_v}, before ReLU and
     *     log1p; {@code -Infinity} for a sequence without real tokens
     */
    public void maxLogits(float[] hidden, int batch, int tokens, int[] mask, float[] out) {
        int h = w.hidden();
        int vocab = w.vocab();
        checkArgs(hidden, batch, tokens, mask, out, h, vocab);
        int panels = w.panels();
        long real = 0;
        for (int i = 0; i < batch * tokens; i++) {
            real += mask[i] != 0 ? 1 : 0;
        }
        int parts = pool == null || real * vocab * h < PARALLEL_MIN_MACS ? 1 : Math.min(threads, panels);
        boolean widen = unpacked != null && VECTORISED && real >= unpackMinTokens;
        if (parts == 1) {
            runPanels(0, panels, hidden, batch, tokens, mask, out, widen);
            return;
        }
        // Many small chunks handed out on demand: on a shared machine a thread that loses its core
        // for a while leaves its remaining chunks to the others instead of stalling the call. The
        // caller waits for every chunk to be done, not for every helper to run: a helper that starts
        // late finds nothing left and touches nothing.
        int chunks = Math.min(panels, parts * 16);
        AtomicInteger nextChunk = new AtomicInteger();
        AtomicInteger doneChunks = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        Runnable worker = () -> {
            for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
                try {
                    runPanels((int) ((long) panels * c / chunks), (int) ((long) panels * (c + 1) / chunks),
                            hidden, batch, tokens, mask, out, widen);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (doneChunks.incrementAndGet() == chunks) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        };
        for (int i = 1; i < parts; i++) {
            pool.execute(worker);
        }
        worker.run();
        while (doneChunks.get() < chunks) {
            LockSupport.park(this);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error e) {
            throw e;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** In place: {@code x -> log1p(max(x, 0))}, the SPLADE activation applied to {@link #maxLogits} output. */
    public static void log1pRelu(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            x[i] = v > 0f ? (float) Math.log1p(v) : 0f;
        }
    }

    static void checkArgs(float[] hidden, int batch, int tokens, int[] mask, float[] out, int h, int vocab) {
        if (batch < 0 || tokens < 0) {
            throw new IllegalArgumentException("batch and tokens must be >= 0, got " + batch + " x " + tokens);
        }
        long n = (long) batch * tokens;
        if (hidden.length < n * h) {
            throw new IllegalArgumentException("hidden has " + hidden.length + " floats, need batch x tokens x hidden = "
                    + n * h);
        }
        if (mask.length < n) {
            throw new IllegalArgumentException("mask has " + mask.length + " entries, need batch x tokens = " + n);
        }
        if (out.length < (long) batch * vocab) {
            throw new IllegalArgumentException("out has " + out.length + " floats, need batch x vocab = "
                    + (long) batch * vocab);
        }
    }

    private void runPanels(int p0, int p1, float[] hidden, int batch, int tokens, int[] mask, float[] out,
            boolean widen) {
        HeadDType dtype = w.dtype();
        int h = w.hidden();
        int vocab = w.vocab();
        MemorySegment seg = w.segment();
        long panelBytes = (long) PANEL * h * dtype.bytesPerWeight();
        float[] wide = widen ? unpacked.get() : null;
        for (int p = p0; p < p1; p++) {
            long pbase = w.wOffset() + p * panelBytes;
            int rowBase = p * PANEL;
            if (widen) {
                widenPanel(seg, pbase, PANEL * h, wide);
            }
            for (int b = 0; b < batch; b++) {
                int mBase = b * tokens;
                int outBase = b * vocab;
                int first = nextReal(mask, mBase, tokens, 0);
                if (first < 0) {
                    Arrays.fill(out, outBase + rowBase, outBase + Math.min(vocab, rowBase + PANEL),
                            Float.NEGATIVE_INFINITY);
                    continue;
                }
                if (!VECTORISED) {
                    scalarPanel(rowBase, hidden, mask, mBase, tokens, out, outBase);
                    continue;
                }
                for (int j0 = 0; j0 < 16; j0 += L) {
                    if (widen) {
                        tileWide(wide, j0, h, hidden, mask, mBase, tokens, first, rowBase + j0, out, outBase);
                        continue;
                    }
                    switch (dtype) {
                        case FP32 -> tileF32(seg, pbase + 4L * j0, h, hidden, mask, mBase, tokens, first,
                                rowBase + j0, out, outBase);
                        case BF16 -> tileBf16(seg, pbase + 4L * j0, h, hidden, mask, mBase, tokens, first,
                                rowBase + j0, out, outBase);
                        case INT8 -> tileInt8(seg, pbase + j0, h, hidden, mask, mBase, tokens, first,
                                rowBase + j0, out, outBase);
                    }
                }
                finishPanel(rowBase, out, outBase);
            }
        }
    }

    /**
     * The int8 panel at {@code base} as floats, same layout ({@code [k][32 rows]}); B2F is exact, so
     * the tile sums are those of tileInt8 bit for bit. Its own small method with no vector parameters
     * (like the tiles), so that C2 compiles it on its own profile rather than inside runPanels.
     */
    private static void widenPanel(MemorySegment seg, long base, int n, float[] wide) {
        for (int i = 0; i < n; i += L) {
            ((FloatVector) ByteVector.fromMemorySegment(BS, seg, base + i, LE)
                    .convertShape(VectorOperators.B2F, FS, 0)).intoArray(wide, i);
        }
    }

    private static int nextReal(int[] mask, int base, int tokens, int from) {
        for (int t = from; t < tokens; t++) {
            if (mask[base + t] != 0) {
                return t;
            }
        }
        return -1;
    }

    // The three tile kernels differ only in how a column of 2 x L weights is loaded and widened.
    // They are written out (not abstracted) so that C2 keeps all 16 accumulators in registers.

    private void tileF32(MemorySegment seg, long base, int h, float[] x, int[] mask, int mBase, int tokens,
            int first, int row, float[] out, int outBase) {
        FloatVector maxA = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        FloatVector maxB = maxA;
        FloatVector zero = FloatVector.zero(FS);
        int next = first;
        while (next >= 0) {
            int t0 = next;
            next = nextReal(mask, mBase, tokens, next + 1);
            int t1 = t0;
            if (next >= 0) { t1 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t2 = t1;
            if (next >= 0) { t2 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t3 = t2;
            if (next >= 0) { t3 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t4 = t3;
            if (next >= 0) { t4 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t5 = t4;
            if (next >= 0) { t5 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t6 = t5;
            if (next >= 0) { t6 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t7 = t6;
            if (next >= 0) { t7 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int o0 = (mBase + t0) * h, o1 = (mBase + t1) * h, o2 = (mBase + t2) * h, o3 = (mBase + t3) * h;
            int o4 = (mBase + t4) * h, o5 = (mBase + t5) * h, o6 = (mBase + t6) * h, o7 = (mBase + t7) * h;
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero, b6 = zero, b7 = zero;
            long off = base;
            for (int k = 0; k < h; k++, off += 4 * PANEL) {
                FloatVector wa = FloatVector.fromMemorySegment(FS, seg, off, LE);
                FloatVector wb = FloatVector.fromMemorySegment(FS, seg, off + 64, LE);
                FloatVector v;
                v = FloatVector.broadcast(FS, x[o0 + k]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(FS, x[o1 + k]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(FS, x[o2 + k]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(FS, x[o3 + k]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
                v = FloatVector.broadcast(FS, x[o4 + k]); a4 = wa.fma(v, a4); b4 = wb.fma(v, b4);
                v = FloatVector.broadcast(FS, x[o5 + k]); a5 = wa.fma(v, a5); b5 = wb.fma(v, b5);
                v = FloatVector.broadcast(FS, x[o6 + k]); a6 = wa.fma(v, a6); b6 = wb.fma(v, b6);
                v = FloatVector.broadcast(FS, x[o7 + k]); a7 = wa.fma(v, a7); b7 = wb.fma(v, b7);
            }
            maxA = maxA.max(a0.max(a1).max(a2.max(a3)).max(a4.max(a5).max(a6.max(a7))));
            maxB = maxB.max(b0.max(b1).max(b2.max(b3)).max(b4.max(b5).max(b6.max(b7))));
        }
        // Inline, not a helper taking vectors: that would box them whenever C2 declines to inline it.
        int vocab = w.vocab();
        if (row + 16 + L <= vocab) {
            maxA.intoArray(out, outBase + row);
            maxB.intoArray(out, outBase + row + 16);
        } else {
            maxA.intoArray(out, outBase + row, FS.indexInRange(row, vocab));
            maxB.intoArray(out, outBase + row + 16, FS.indexInRange(row + 16, vocab));
        }
    }

    /** {@link #tileF32} over a widened int8 panel in a float array ({@code [hidden][32]}). */
    private void tileWide(float[] wp, int base, int h, float[] x, int[] mask, int mBase, int tokens,
            int first, int row, float[] out, int outBase) {
        FloatVector maxA = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        FloatVector maxB = maxA;
        FloatVector zero = FloatVector.zero(FS);
        int next = first;
        while (next >= 0) {
            int t0 = next;
            next = nextReal(mask, mBase, tokens, next + 1);
            int t1 = t0;
            if (next >= 0) { t1 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t2 = t1;
            if (next >= 0) { t2 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t3 = t2;
            if (next >= 0) { t3 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t4 = t3;
            if (next >= 0) { t4 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t5 = t4;
            if (next >= 0) { t5 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t6 = t5;
            if (next >= 0) { t6 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t7 = t6;
            if (next >= 0) { t7 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int o0 = (mBase + t0) * h, o1 = (mBase + t1) * h, o2 = (mBase + t2) * h, o3 = (mBase + t3) * h;
            int o4 = (mBase + t4) * h, o5 = (mBase + t5) * h, o6 = (mBase + t6) * h, o7 = (mBase + t7) * h;
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero, b6 = zero, b7 = zero;
            int off = base;
            for (int k = 0; k < h; k++, off += PANEL) {
                FloatVector wa = FloatVector.fromArray(FS, wp, off);
                FloatVector wb = FloatVector.fromArray(FS, wp, off + 16);
                FloatVector v;
                v = FloatVector.broadcast(FS, x[o0 + k]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(FS, x[o1 + k]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(FS, x[o2 + k]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(FS, x[o3 + k]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
                v = FloatVector.broadcast(FS, x[o4 + k]); a4 = wa.fma(v, a4); b4 = wb.fma(v, b4);
                v = FloatVector.broadcast(FS, x[o5 + k]); a5 = wa.fma(v, a5); b5 = wb.fma(v, b5);
                v = FloatVector.broadcast(FS, x[o6 + k]); a6 = wa.fma(v, a6); b6 = wb.fma(v, b6);
                v = FloatVector.broadcast(FS, x[o7 + k]); a7 = wa.fma(v, a7); b7 = wb.fma(v, b7);
            }
            maxA = maxA.max(a0.max(a1).max(a2.max(a3)).max(a4.max(a5).max(a6.max(a7))));
            maxB = maxB.max(b0.max(b1).max(b2.max(b3)).max(b4.max(b5).max(b6.max(b7))));
        }
        // Inline, not a helper taking vectors: that would box them whenever C2 declines to inline it.
        int vocab = w.vocab();
        if (row + 16 + L <= vocab) {
            maxA.intoArray(out, outBase + row);
            maxB.intoArray(out, outBase + row + 16);
        } else {
            maxA.intoArray(out, outBase + row, FS.indexInRange(row, vocab));
            maxB.intoArray(out, outBase + row + 16, FS.indexInRange(row + 16, vocab));
        }
    }

    private void tileBf16(MemorySegment seg, long base, int h, float[] x, int[] mask, int mBase, int tokens,
            int first, int row, float[] out, int outBase) {
        FloatVector maxA = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        FloatVector maxB = maxA;
        FloatVector zero = FloatVector.zero(FS);
        int next = first;
        while (next >= 0) {
            int t0 = next;
            next = nextReal(mask, mBase, tokens, next + 1);
            int t1 = t0;
            if (next >= 0) { t1 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t2 = t1;
            if (next >= 0) { t2 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t3 = t2;
            if (next >= 0) { t3 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t4 = t3;
            if (next >= 0) { t4 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t5 = t4;
            if (next >= 0) { t5 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t6 = t5;
            if (next >= 0) { t6 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t7 = t6;
            if (next >= 0) { t7 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int o0 = (mBase + t0) * h, o1 = (mBase + t1) * h, o2 = (mBase + t2) * h, o3 = (mBase + t3) * h;
            int o4 = (mBase + t4) * h, o5 = (mBase + t5) * h, o6 = (mBase + t6) * h, o7 = (mBase + t7) * h;
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero, b6 = zero, b7 = zero;
            long off = base;
            for (int k = 0; k < h; k++, off += 2 * PANEL) {
                // One 32-bit lane holds rows j (low half) and j+16 (high half): bf16 -> fp32 is a shift or a mask.
                IntVector pair = IntVector.fromMemorySegment(IS, seg, off, LE);
                FloatVector wa = pair.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector wb = pair.lanewise(VectorOperators.AND, 0xFFFF0000).reinterpretAsFloats();
                FloatVector v;
                v = FloatVector.broadcast(FS, x[o0 + k]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(FS, x[o1 + k]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(FS, x[o2 + k]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(FS, x[o3 + k]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
                v = FloatVector.broadcast(FS, x[o4 + k]); a4 = wa.fma(v, a4); b4 = wb.fma(v, b4);
                v = FloatVector.broadcast(FS, x[o5 + k]); a5 = wa.fma(v, a5); b5 = wb.fma(v, b5);
                v = FloatVector.broadcast(FS, x[o6 + k]); a6 = wa.fma(v, a6); b6 = wb.fma(v, b6);
                v = FloatVector.broadcast(FS, x[o7 + k]); a7 = wa.fma(v, a7); b7 = wb.fma(v, b7);
            }
            maxA = maxA.max(a0.max(a1).max(a2.max(a3)).max(a4.max(a5).max(a6.max(a7))));
            maxB = maxB.max(b0.max(b1).max(b2.max(b3)).max(b4.max(b5).max(b6.max(b7))));
        }
        // Inline, not a helper taking vectors: that would box them whenever C2 declines to inline it.
        int vocab = w.vocab();
        if (row + 16 + L <= vocab) {
            maxA.intoArray(out, outBase + row);
            maxB.intoArray(out, outBase + row + 16);
        } else {
            maxA.intoArray(out, outBase + row, FS.indexInRange(row, vocab));
            maxB.intoArray(out, outBase + row + 16, FS.indexInRange(row + 16, vocab));
        }
    }

    private void tileInt8(MemorySegment seg, long base, int h, float[] x, int[] mask, int mBase, int tokens,
            int first, int row, float[] out, int outBase) {
        FloatVector maxA = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        FloatVector maxB = maxA;
        FloatVector zero = FloatVector.zero(FS);
        int next = first;
        while (next >= 0) {
            int t0 = next;
            next = nextReal(mask, mBase, tokens, next + 1);
            int t1 = t0;
            if (next >= 0) { t1 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t2 = t1;
            if (next >= 0) { t2 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t3 = t2;
            if (next >= 0) { t3 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t4 = t3;
            if (next >= 0) { t4 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t5 = t4;
            if (next >= 0) { t5 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t6 = t5;
            if (next >= 0) { t6 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int t7 = t6;
            if (next >= 0) { t7 = next; next = nextReal(mask, mBase, tokens, next + 1); }
            int o0 = (mBase + t0) * h, o1 = (mBase + t1) * h, o2 = (mBase + t2) * h, o3 = (mBase + t3) * h;
            int o4 = (mBase + t4) * h, o5 = (mBase + t5) * h, o6 = (mBase + t6) * h, o7 = (mBase + t7) * h;
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero, b6 = zero, b7 = zero;
            long off = base;
            for (int k = 0; k < h; k++, off += PANEL) {
                FloatVector wa = (FloatVector) ByteVector.fromMemorySegment(BS, seg, off, LE)
                        .convertShape(VectorOperators.B2F, FS, 0);
                FloatVector wb = (FloatVector) ByteVector.fromMemorySegment(BS, seg, off + 16, LE)
                        .convertShape(VectorOperators.B2F, FS, 0);
                FloatVector v;
                v = FloatVector.broadcast(FS, x[o0 + k]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(FS, x[o1 + k]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(FS, x[o2 + k]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(FS, x[o3 + k]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
                v = FloatVector.broadcast(FS, x[o4 + k]); a4 = wa.fma(v, a4); b4 = wb.fma(v, b4);
                v = FloatVector.broadcast(FS, x[o5 + k]); a5 = wa.fma(v, a5); b5 = wb.fma(v, b5);
                v = FloatVector.broadcast(FS, x[o6 + k]); a6 = wa.fma(v, a6); b6 = wb.fma(v, b6);
                v = FloatVector.broadcast(FS, x[o7 + k]); a7 = wa.fma(v, a7); b7 = wb.fma(v, b7);
            }
            maxA = maxA.max(a0.max(a1).max(a2.max(a3)).max(a4.max(a5).max(a6.max(a7))));
            maxB = maxB.max(b0.max(b1).max(b2.max(b3)).max(b4.max(b5).max(b6.max(b7))));
        }
        // Inline, not a helper taking vectors: that would box them whenever C2 declines to inline it.
        int vocab = w.vocab();
        if (row + 16 + L <= vocab) {
            maxA.intoArray(out, outBase + row);
            maxB.intoArray(out, outBase + row + 16);
        } else {
            maxA.intoArray(out, outBase + row, FS.indexInRange(row, vocab));
            maxB.intoArray(out, outBase + row + 16, FS.indexInRange(row + 16, vocab));
        }
    }

    /**
     * out = max * scale + bias over one panel's rows. Kept apart from the tile kernels and given no
     * vector parameters: a vector passed to a method C2 does not inline is boxed on the heap.
     */
    private void finishPanel(int rowBase, float[] out, int outBase) {
        int vocab = w.vocab();
        MemorySegment seg = w.segment();
        boolean int8 = w.dtype() == HeadDType.INT8;
        int end = Math.min(vocab, rowBase + PANEL);
        int r = rowBase;
        for (; r + L <= end; r += L) {
            FloatVector m = FloatVector.fromArray(FS, out, outBase + r);
            if (int8) {
                m = m.mul(FloatVector.fromMemorySegment(FS, seg, w.scaleOffset() + 4L * r, LE));
            }
            m.add(FloatVector.fromMemorySegment(FS, seg, w.biasOffset() + 4L * r, LE)).intoArray(out, outBase + r);
        }
        for (; r < end; r++) {
            out[outBase + r] = out[outBase + r] * w.scale(r) + w.bias(r);
        }
    }

    /** For vector shapes the kernel's lane pairing does not fit (wider than 16 floats): plain loops. */
    private void scalarPanel(int rowBase, float[] x, int[] mask, int mBase, int tokens, float[] out, int outBase) {
        int h = w.hidden();
        int end = Math.min(w.vocab(), rowBase + PANEL);
        for (int v = rowBase; v < end; v++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < tokens; t++) {
                if (mask[mBase + t] == 0) {
                    continue;
                }
                int o = (mBase + t) * h;
                float dot = 0f;
                for (int k = 0; k < h; k++) {
                    dot += x[o + k] * w.weight(v, k);
                }
                max = Math.max(max, dot);
            }
            out[outBase + v] = max + w.bias(v);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "lsr-head-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
