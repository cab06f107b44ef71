package dev.lsr.encoder.head;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads and writes {@code head.bin}, the vocabulary projection of a model directory.
 *
 * <p>Layout (little-endian, version 1):
 * <pre>
 *   0  magic "LSR-HEAD" (8 bytes)     8  int version          12 int dtype code
 *  16  int vocab                      20 int hidden           24 int panel rows (32)
 *  28  int panels                     32 long W offset        40 long bias offset
 *  48  long row-scale offset (-1: none)                       56 long file length
 *  64  W packed in panels of 32 vocabulary rows (see below)
 *      bias fp32[vocab]; row scales fp32[vocab] (int8 only); each section 8-byte aligned
 *  end long CRC32C of every byte before it
 * </pre>
 * W is packed at write time so that opening is a single map and the kernel streams memory in order:
 * panel p holds rows [32p, 32p+32) (rows past vocab are zero); inside a panel, for each hidden index
 * k, the 32 weights of that column are contiguous. For fp32 and int8 they are in row order; for bf16
 * they are interleaved as (r0, r16, r1, r17, ...), so one 32-bit lane holds rows j and j+16 and
 * widening is a shift (low half) and a mask (high half).
 */
public final class HeadFile {

    static final byte[] MAGIC = "LSR-HEAD".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int PANEL = 32;
    static final int HEADER_BYTES = 64;

    private HeadFile() {}

    /**
     * Writes a head file (to a sibling temp file, then moved into place).
     *
     * @param w row-major {@code [vocab][hidden]}
     * @param bias {@code [vocab]}
     */
    public static void write(Path file, float[] w, float[] bias, int vocab, int hidden, HeadDType dtype)
            throws IOException {
        if (vocab <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("head shape must be positive: vocab " + vocab + ", hidden " + hidden);
        }
        if (w.length != (long) vocab * hidden) {
            throw new IllegalArgumentException(
                    "W has " + w.length + " values, expected vocab x hidden = " + ((long) vocab * hidden));
        }
        if (bias.length != vocab) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected vocab = " + vocab);
        }
        checkFinite(w, "W");
        checkFinite(bias, "bias");
        Layout lay = Layout.of(vocab, hidden, dtype);
        float[] scales = dtype == HeadDType.INT8 ? rowScales(w, vocab, hidden) : null;

        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Sink out = new Sink(ch);
            out.bytes(MAGIC);
            out.i32(VERSION);
            out.i32(dtype.code());
            out.i32(vocab);
            out.i32(hidden);
            out.i32(PANEL);
            out.i32(lay.panels);
            out.i64(lay.wOffset);
            out.i64(lay.biasOffset);
            out.i64(lay.scaleOffset);
            out.i64(lay.fileLength);
            for (int p = 0; p < lay.panels; p++) {
                for (int k = 0; k < hidden; k++) {
                    for (int j = 0; j < PANEL; j++) {
                        int r = switch (dtype) {
                            // bf16 pairs rows (j, j+16) in one 32-bit lane.
                            case BF16 -> (j & 1) == 0 ? j >> 1 : 16 + (j >> 1);
                            default -> j;
                        };
                        int row = p * PANEL + r;
                        float v = row < vocab ? w[row * hidden + k] : 0f;
                        switch (dtype) {
                            case FP32 -> out.f32(v);
                            case BF16 -> out.i16(toBf16(v));
                            case INT8 -> out.i8(row < vocab ? quantise(v, scales[row]) : 0);
                        }
                    }
                }
            }
            out.padTo(lay.biasOffset);
            for (float b : bias) {
                out.f32(b);
            }
            if (scales != null) {
                out.padTo(lay.scaleOffset);
                for (float s : scales) {
                    out.f32(s);
                }
            }
            out.padTo(lay.fileLength - 8);
            out.flush();
            out.i64(out.crc.getValue());
            out.flush();
            if (out.position != lay.fileLength) {
                throw new IllegalStateException("head writer produced " + out.position + " bytes, planned " + lay.fileLength);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rewrites an existing head in another dtype (e.g. fp32 -> bf16 for a faster variant). */
    public static void convert(Path from, Path to, HeadDType dtype) throws IOException {
        try (HeadWeights src = open(from)) {
            write(to, src.dequantise(), src.bias(), src.vocab(), src.hidden(), dtype);
        }
    }

    /** Maps and validates a head file; the caller closes the returned weights. */
    public static HeadWeights open(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IOException("head file " + file + ": cannot read: " + e.getMessage(), e);
        }
        if (size < HEADER_BYTES + 8) {
            throw new IOException("head file " + file + " is truncated: " + size + " bytes, shorter than its header");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            HeadWeights w = validate(file, seg, size, arena);
            return w;
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (e instanceof IOException io && io.getMessage() != null && io.getMessage().contains(file.toString())) {
                throw io;
            }
            throw new IOException("head file " + file + ": " + e.getMessage(), e);
        }
    }

    private static HeadWeights validate(Path file, MemorySegment seg, long size, Arena arena) throws IOException {
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfLong i64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
                throw new IOException("head file " + file + " is not a head file (wrong magic)");
            }
        }
        int version = seg.get(i32, 8);
        if (version != VERSION) {
            throw new IOException("head file " + file + " has format version " + version + ", this build reads " + VERSION);
        }
        HeadDType dtype = HeadDType.ofCode(seg.get(i32, 12));
        if (dtype == null) {
            throw new IOException("head file " + file + " has unknown dtype code " + seg.get(i32, 12));
        }
        int vocab = seg.get(i32, 16);
        int hidden = seg.get(i32, 20);
        int panelRows = seg.get(i32, 24);
        int panels = seg.get(i32, 28);
        if (vocab <= 0 || hidden <= 0 || panelRows != PANEL) {
            throw new IOException("head file " + file + " has a corrupt header (vocab " + vocab + ", hidden " + hidden
                    + ", panel rows " + panelRows + ")");
        }
        Layout lay = Layout.of(vocab, hidden, dtype);
        long fileLength = seg.get(i64, 56);
        if (panels != lay.panels || seg.get(i64, 32) != lay.wOffset || seg.get(i64, 40) != lay.biasOffset
                || seg.get(i64, 48) != lay.scaleOffset || fileLength != lay.fileLength) {
            throw new IOException("head file " + file + " has a corrupt header (offsets do not match its shapes)");
        }
        if (size < fileLength) {
            throw new IOException("head file " + file + " is truncated: " + size + " of " + fileLength + " bytes");
        }
        if (size > fileLength) {
            throw new IOException("head file " + file + " has " + (size - fileLength) + " unexpected trailing bytes");
        }
        CRC32C crc = new CRC32C();
        long chunk = 1L << 30;
        for (long off = 0; off < fileLength - 8; off += chunk) {
            crc.update(seg.asSlice(off, Math.min(chunk, fileLength - 8 - off)).asByteBuffer());
        }
        long stored = seg.get(i64, fileLength - 8);
        if (stored != crc.getValue()) {
            throw new IOException("head file " + file + " fails its checksum (CRC32C stored "
                    + Long.toHexString(stored) + ", computed " + Long.toHexString(crc.getValue()) + ")");
        }
        return new HeadWeights(file, arena, seg, dtype, vocab, hidden, panels, lay.wOffset, lay.biasOffset,
                lay.scaleOffset);
    }

    /** bf16 bits of a float, rounded to nearest even (inputs are finite). */
    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    static float fromBf16(short s) {
        return Float.intBitsToFloat((s & 0xFFFF) << 16);
    }

    static float[] rowScales(float[] w, int vocab, int hidden) {
        float[] s = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            float max = 0f;
            for (int k = 0; k < hidden; k++) {
                max = Math.max(max, Math.abs(w[v * hidden + k]));
            }
            s[v] = max / 127f;
        }
        return s;
    }

    static byte quantise(float v, float scale) {
        if (scale == 0f) {
            return 0;
        }
        return (byte) Math.clamp(Math.round(v / scale), -127, 127);
    }

    private static void checkFinite(float[] a, String what) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new IllegalArgumentException(what + " has a non-finite value at index " + i + ": " + a[i]);
            }
        }
    }

    static long align8(long x) {
        return (x + 7) & ~7L;
    }

    /** Where every section of a head file of these shapes lives. */
    record Layout(int panels, long wOffset, long biasOffset, long scaleOffset, long fileLength) {
        static Layout of(int vocab, int hidden, HeadDType dtype) {
            int panels = (vocab + PANEL - 1) / PANEL;
            long wOffset = HEADER_BYTES;
            long wBytes = (long) panels * PANEL * hidden * dtype.bytesPerWeight();
            long biasOffset = align8(wOffset + wBytes);
            long end = biasOffset + 4L * vocab;
            long scaleOffset = -1;
            if (dtype == HeadDType.INT8) {
                scaleOffset = align8(end);
                end = scaleOffset + 4L * vocab;
            }
            long fileLength = align8(end) + 8;
            return new Layout(panels, wOffset, biasOffset, scaleOffset, fileLength);
        }
    }

    /** Buffered little-endian writer that checksums what it writes. */
    private static final class Sink {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        long position;

        Sink(FileChannel ch) {
            this.ch = ch;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        void flush() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        void bytes(byte[] b) throws IOException {
            room(b.length);
            buf.put(b);
            position += b.length;
        }

        void i8(byte b) throws IOException {
            room(1);
            buf.put(b);
            position++;
        }

        void i16(short s) throws IOException {
            room(2);
            buf.putShort(s);
            position += 2;
        }

        void i32(int v) throws IOException {
            room(4);
            buf.putInt(v);
            position += 4;
        }

        void f32(float v) throws IOException {
            room(4);
            buf.putFloat(v);
            position += 4;
        }

        void i64(long v) throws IOException {
            room(8);
            buf.putLong(v);
            position += 8;
        }

        void padTo(long target) throws IOException {
            while (position < target) {
                i8((byte) 0);
            }
        }
    }
}
