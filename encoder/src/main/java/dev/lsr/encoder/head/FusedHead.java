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
 * <p>W is streamed panel by panel (32 vocabulary rows x hidden, packed by {@link HeadFile}). The call
 * first regroups the real tokens' hidden states into tiles of {@value TokenTiles#TILE} tokens
 * ({@link TokenTiles}); then for each panel and sequence, a register tile of 4 tokens x 2 vectors of
 * vocabulary rows accumulates the dot products with one FMA per (token, vector) per hidden index,
 * and each tile's max is folded into the output rows. Bias and the int8 row scale are applied once
 * after the max (both commute with it: the scale is non-negative).
 *
 * <p>Large batches are split over vocabulary panels across a fixed pool owned by this object; the
 * calling thread takes one share. Safe to call from several threads at once; a warm call allocates
 * only the handful of task objects needed to fan out (the packed tokens are kept per calling thread).
 */
public final class FusedHead implements AutoCloseable {

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());
    private static final VectorSpecies<Byte> BS =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FS.length() * 8)));
    private static final int L = FS.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int PANEL = HeadFile.PANEL;
    private static final int TILE = TokenTiles.TILE;
    /** Each step of the kernel covers lanes [j0, j0+L) and [16+j0, 16+j0+L) of a panel. */
    private static final boolean VECTORISED = L <= 16 && 16 % L == 0;
    /** Below this many multiply-adds a call runs on the caller only: fan-out would cost more than it saves. */
    private static final long PARALLEL_MIN_MACS = 2_000_000L;
    /**
     * From this many real tokens in a call (two tiles), an int8 panel is widened once (into a
     * per-thread buffer, in the bf16 layout: exact, see widenPanel) and every token tile of every
     * sequence runs the bf16 tile over it, instead of widening the panel's bytes again in each tile:
     * the per-tile B2F conversions compete with the FMAs for the vector ports. With 4-token tiles this
     * paid already at 16 tokens (encoder/README.md); below it (a one-tile query) the conversion in the
     * tile costs less than a widening pass.
     */
    static final int UNPACK_MIN_TOKENS = 8;

    private final HeadWeights w;
    private final int threads;
    private final ExecutorService pool;
    private final int unpackMinTokens;
    /**
     * The widened int8 panel in head.bin's bf16 layout ({@code [hidden][16]} ints, rows j and j+16 in
     * one), one per thread that runs panels; null for other dtypes.
     */
    private final ThreadLocal<int[]> unpacked;
    /** Each calling thread's packed hidden states ({@link TokenTiles}), reused across its calls. */
    private final ThreadLocal<TokenTiles> tokenTiles = ThreadLocal.withInitial(TokenTiles::new);

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
        int panelPairs = PANEL / 2 * w.hidden();
        this.unpacked = w.dtype() == HeadDType.INT8 ? ThreadLocal.withInitial(() -> new int[panelPairs]) : null;
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
     * Heap bytes a call on {@code batch} sequences with {@code realTokens} real tokens in all holds
     * besides {@code out}: the packed tokens (an upper bound: each sequence's last tile is padded),
     * kept by the calling thread for its next call; the widened int8 panel per thread; the fan-out
     * tasks. Used by the benchmark's memory report.
     */
    public long scratchBytes(int batch, long realTokens) {
        long packed = 4L * (realTokens + (long) batch * (TILE - 1)) * w.hidden();
        long widened = w.dtype() == HeadDType.INT8 ? 2L * PANEL * w.hidden() : 0;
        return packed + (256L + widened) * threads;
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
        TokenTiles tiles = tokenTiles.get();
        long real = tiles.pack(hidden, batch, tokens, mask, h);
        int parts = pool == null || real * vocab * h < PARALLEL_MIN_MACS ? 1 : Math.min(threads, panels);
        boolean widen = unpacked != null && VECTORISED && real >= unpackMinTokens;
        if (parts == 1) {
            runPanels(0, panels, hidden, batch, tokens, mask, tiles, out, widen);
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
                            hidden, batch, tokens, mask, tiles, out, widen);
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

    private void runPanels(int p0, int p1, float[] hidden, int batch, int tokens, int[] mask, TokenTiles tiles,
            float[] out, boolean widen) {
        HeadDType dtype = w.dtype();
        int h = w.hidden();
        int vocab = w.vocab();
        MemorySegment seg = w.segment();
        long panelBytes = (long) PANEL * h * dtype.bytesPerWeight();
        int[] wide = widen ? unpacked.get() : null;
        float[] xp = tiles.values();
        for (int p = p0; p < p1; p++) {
            long pbase = w.wOffset() + p * panelBytes;
            int rowBase = p * PANEL;
            boolean tail = rowBase + PANEL > vocab;
            if (widen) {
                widenPanel(seg, pbase, h, wide);
            }
            for (int b = 0; b < batch; b++) {
                int mBase = b * tokens;
                int outBase = b * vocab;
                int t0 = tiles.start(b);
                int t1 = tiles.start(b + 1);
                if (t0 == t1) {
                    Arrays.fill(out, outBase + rowBase, outBase + Math.min(vocab, rowBase + PANEL),
                            Float.NEGATIVE_INFINITY);
                    continue;
                }
                if (!VECTORISED) {
                    scalarPanel(rowBase, hidden, mask, mBase, tokens, out, outBase);
                    continue;
                }
                // The last panel's rows past the vocabulary go to the call's spare rows, so that every
                // tile stores whole vectors: a masked store there made C2's loop predicates fail and
                // recompile the kernels with a range check on every load.
                float[] dst = tail ? tiles.spareRows() : out;
                int dstBase = tail ? -rowBase : outBase;
                for (int j0 = 0; j0 < 16; j0 += L) {
                    int oa = dstBase + rowBase + j0;
                    if (widen) {
                        tileWide(wide, j0, h, xp, t0, t1, dst, oa);
                        continue;
                    }
                    switch (dtype) {
                        case FP32 -> tileF32(seg, pbase + 4L * j0, h, xp, t0, t1, dst, oa);
                        case BF16 -> tileBf16(seg, pbase + 4L * j0, h, xp, t0, t1, dst, oa);
                        case INT8 -> tileInt8(seg, pbase + j0, h, xp, t0, t1, dst, oa);
                    }
                }
                if (tail) {
                    System.arraycopy(dst, 0, out, outBase + rowBase, vocab - rowBase);
                }
                finishPanel(rowBase, out, outBase);
            }
        }
    }

    /**
     * The int8 panel at {@code base} in the bf16 layout: an int8 weight has at most 8 significant
     * bits, so its float is exactly its bf16 (the upper half of the float bits), and the bf16 tile
     * computes the sums tileInt8 does, bit for bit, loading one vector per hidden index instead of
     * two. Its own small method with no vector parameters (like the tiles), so that C2 compiles it on
     * its own profile rather than inside runPanels.
     */
    private static void widenPanel(MemorySegment seg, long base, int h, int[] wide) {
        for (int k = 0; k < h; k++) {
            long from = base + (long) k * PANEL;
            int to = k * (PANEL / 2);
            for (int j = 0; j < 16; j += L) {
                IntVector lo = ((FloatVector) ByteVector.fromMemorySegment(BS, seg, from + j, LE)
                        .convertShape(VectorOperators.B2F, FS, 0)).reinterpretAsInts();
                IntVector hi = ((FloatVector) ByteVector.fromMemorySegment(BS, seg, from + 16 + j, LE)
                        .convertShape(VectorOperators.B2F, FS, 0)).reinterpretAsInts();
                lo.lanewise(VectorOperators.LSHR, 16).or(hi.and(0xFFFF0000)).intoArray(wide, to + j);
            }
        }
    }

    // The four tile kernels differ only in how a column of 2 x L weights is loaded (and widened).
    // They are written out, not abstracted, and shaped by what C2 makes of them on AVX2's 16 vector
    // registers (read with -XX:+PrintAssembly, encoder/README.md):
    // - 4 tokens x 2 vectors: C2 issues all of an iteration's broadcasts and weight loads before its
    //   FMAs, so 8 accumulators + 2 weights + 4 broadcasts is the largest tile that does not spill
    //   (8 x 2 and 6 x 2 kept 8 and 5 accumulators on the stack, half the speed);
    // - the running max goes through the output rows after each tile, not registers: two more
    //   vectors live across the k loop would spill accumulators;
    // - offsets computed from k, not carried from one iteration to the next, so that C2 proves the
    //   indexes in range once per loop;
    // - no helper takes vectors: one that C2 declines to inline boxes them.

    private void tileF32(MemorySegment seg, long base, int h, float[] xp, int tile0, int tile1,
            float[] out, int oa) {
        int ob = oa + 16;
        for (int tile = tile0; tile < tile1; tile++) {
            FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int xb = tile * h * TILE;
            for (int k = 0; k < h; k++) {
                int xo = xb + k * TILE;
                long off = base + (long) k * (4 * PANEL);
                FloatVector wa = FloatVector.fromMemorySegment(FS, seg, off, LE);
                FloatVector wb = FloatVector.fromMemorySegment(FS, seg, off + 64, LE);
                FloatVector v;
                v = FloatVector.broadcast(FS, xp[xo]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(FS, xp[xo + 1]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(FS, xp[xo + 2]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(FS, xp[xo + 3]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
            }
            FloatVector ma = a0.max(a1).max(a2.max(a3));
            FloatVector mb = b0.max(b1).max(b2.max(b3));
            if (tile > tile0) {
                ma = ma.max(FloatVector.fromArray(FS, out, oa));
                mb = mb.max(FloatVector.fromArray(FS, out, ob));
            }
            ma.intoArray(out, oa);
            mb.intoArray(out, ob);
        }
    }

    private void tileBf16(MemorySegment seg, long base, int h, float[] xp, int tile0, int tile1,
            float[] out, int oa) {
        int ob = oa + 16;
        for (int tile = tile0; tile < tile1; tile++) {
            FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int xb = tile * h * TILE;
            for (int k = 0; k < h; k++) {
                int xo = xb + k * TILE;
                long off = base + (long) k * (2 * PANEL);
                // One 32-bit lane holds rows j (low half) and j+16 (high half): bf16 -> fp32 is a shift or a mask.
                IntVector pair = IntVector.fromMemorySegment(IS, seg, off, LE);
                FloatVector wa = pair.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector wb = pair.lanewise(VectorOperators.AND, 0xFFFF0000).reinterpretAsFloats();
                FloatVector v;
                v = FloatVector.broadcast(FS, xp[xo]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(FS, xp[xo + 1]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(FS, xp[xo + 2]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(FS, xp[xo + 3]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
            }
            FloatVector ma = a0.max(a1).max(a2.max(a3));
            FloatVector mb = b0.max(b1).max(b2.max(b3));
            if (tile > tile0) {
                ma = ma.max(FloatVector.fromArray(FS, out, oa));
                mb = mb.max(FloatVector.fromArray(FS, out, ob));
            }
            ma.intoArray(out, oa);
            mb.intoArray(out, ob);
        }
    }

    /** {@link #tileBf16} over a widened int8 panel in the bf16 layout, in a heap array ({@code [hidden][16]} ints). */
    private void tileWide(int[] wp, int base, int h, float[] xp, int tile0, int tile1,
            float[] out, int oa) {
        int ob = oa + 16;
        for (int tile = tile0; tile < tile1; tile++) {
            FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int xb = tile * h * TILE;
            for (int k = 0; k < h; k++) {
                int xo = xb + k * TILE;
                int off = base + k * (PANEL / 2);
                // One 32-bit lane holds rows j (low half) and j+16 (high half): bf16 -> fp32 is a shift or a mask.
                IntVector pair = IntVector.fromArray(IS, wp, off);
                FloatVector wa = pair.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector wb = pair.lanewise(VectorOperators.AND, 0xFFFF0000).reinterpretAsFloats();
                FloatVector v;
                v = FloatVector.broadcast(FS, xp[xo]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(FS, xp[xo + 1]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(FS, xp[xo + 2]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(FS, xp[xo + 3]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
            }
            FloatVector ma = a0.max(a1).max(a2.max(a3));
            FloatVector mb = b0.max(b1).max(b2.max(b3));
            if (tile > tile0) {
                ma = ma.max(FloatVector.fromArray(FS, out, oa));
                mb = mb.max(FloatVector.fromArray(FS, out, ob));
            }
            ma.intoArray(out, oa);
            mb.intoArray(out, ob);
        }
    }

    private void tileInt8(MemorySegment seg, long base, int h, float[] xp, int tile0, int tile1,
            float[] out, int oa) {
        int ob = oa + 16;
        for (int tile = tile0; tile < tile1; tile++) {
            FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int xb = tile * h * TILE;
            for (int k = 0; k < h; k++) {
                int xo = xb + k * TILE;
                long off = base + (long) k * PANEL;
                FloatVector wa = (FloatVector) ByteVector.fromMemorySegment(BS, seg, off, LE)
                        .convertShape(VectorOperators.B2F, FS, 0);
                FloatVector wb = (FloatVector) ByteVector.fromMemorySegment(BS, seg, off + 16, LE)
                        .convertShape(VectorOperators.B2F, FS, 0);
                FloatVector v;
                v = FloatVector.broadcast(FS, xp[xo]); a0 = wa.fma(v, a0); b0 = wb.fma(v, b0);
                v = FloatVector.broadcast(FS, xp[xo + 1]); a1 = wa.fma(v, a1); b1 = wb.fma(v, b1);
                v = FloatVector.broadcast(FS, xp[xo + 2]); a2 = wa.fma(v, a2); b2 = wb.fma(v, b2);
                v = FloatVector.broadcast(FS, xp[xo + 3]); a3 = wa.fma(v, a3); b3 = wb.fma(v, b3);
            }
            FloatVector ma = a0.max(a1).max(a2.max(a3));
            FloatVector mb = b0.max(b1).max(b2.max(b3));
            if (tile > tile0) {
                ma = ma.max(FloatVector.fromArray(FS, out, oa));
                mb = mb.max(FloatVector.fromArray(FS, out, ob));
            }
            ma.intoArray(out, oa);
            mb.intoArray(out, ob);
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
