package dev.lsr.encoder.head;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A memory-mapped, validated {@code head.bin} (see {@link HeadFile}). Thread-safe for reading;
 * {@link #close()} unmaps it, after which every reader fails.
 */
public final class HeadWeights implements AutoCloseable {

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment segment;
    private final HeadDType dtype;
    private final int vocab;
    private final int hidden;
    private final int panels;
    private final long wOffset;
    private final long biasOffset;
    private final long scaleOffset;

    HeadWeights(Path file, Arena arena, MemorySegment segment, HeadDType dtype, int vocab, int hidden, int panels,
            long wOffset, long biasOffset, long scaleOffset) {
        this.file = file;
        this.arena = arena;
        this.segment = segment;
        this.dtype = dtype;
        this.vocab = vocab;
        this.hidden = hidden;
        this.panels = panels;
        this.wOffset = wOffset;
        this.biasOffset = biasOffset;
        this.scaleOffset = scaleOffset;
    }

    public Path file() {
        return file;
    }

    public int vocab() {
        return vocab;
    }

    public int hidden() {
        return hidden;
    }

    public HeadDType dtype() {
        return dtype;
    }

    /** Bytes of the mapped file (what the head costs in page cache, not in the Java heap). */
    public long fileBytes() {
        return segment.byteSize();
    }

    /** The stored weight W[row][k] as the kernel sees it (dequantised: bf16 widened, int8 times its row scale). */
    public float weight(int row, int k) {
        java.util.Objects.checkIndex(row, vocab);
        java.util.Objects.checkIndex(k, hidden);
        int p = row / HeadFile.PANEL;
        int r = row % HeadFile.PANEL;
        long slice = (long) p * hidden * HeadFile.PANEL + (long) k * HeadFile.PANEL;
        return switch (dtype) {
            case FP32 -> segment.get(F32, wOffset + (slice + r) * 4);
            case BF16 -> {
                int j = r < 16 ? 2 * r : 2 * (r - 16) + 1;
                yield HeadFile.fromBf16(segment.get(I16, wOffset + (slice + j) * 2));
            }
            case INT8 -> segment.get(ValueLayout.JAVA_BYTE, wOffset + slice + r) * scale(row);
        };
    }

    public float bias(int row) {
        java.util.Objects.checkIndex(row, vocab);
        return segment.get(F32, biasOffset + 4L * row);
    }

    /** The int8 row scale; 1 for other dtypes. */
    public float scale(int row) {
        java.util.Objects.checkIndex(row, vocab);
        return dtype == HeadDType.INT8 ? segment.get(F32, scaleOffset + 4L * row) : 1f;
    }

    /** A heap copy of the bias. */
    public float[] bias() {
        float[] b = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            b[v] = bias(v);
        }
        return b;
    }

    /** A heap copy of W as row-major fp32 {@code [vocab][hidden]}, for conversion and tests, not for serving. */
    public float[] dequantise() {
        float[] w = new float[vocab * hidden];
        for (int v = 0; v < vocab; v++) {
            for (int k = 0; k < hidden; k++) {
                w[v * hidden + k] = weight(v, k);
            }
        }
        return w;
    }

    MemorySegment segment() {
        return segment;
    }

    int panels() {
        return panels;
    }

    long wOffset() {
        return wOffset;
    }

    long biasOffset() {
        return biasOffset;
    }

    long scaleOffset() {
        return scaleOffset;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "HeadWeights[" + file + ", " + dtype + ", vocab " + vocab + ", hidden " + hidden + "]";
    }
}
