package dev.lsr.encoder;

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
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * {@code term_offsets.bin}: per-term centring offsets. Layout (little-endian): magic "LSR-TOFF",
 * int version (1), int vocab, float[vocab], long CRC32C of every byte before it.
 */
public final class TermOffsets {

    static final byte[] MAGIC = "LSR-TOFF".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    private TermOffsets() {}

    public static void write(Path file, float[] offsets) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(16 + offsets.length * 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(VERSION).putInt(offsets.length);
        for (float f : offsets) {
            buf.putFloat(f);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putLong(crc.getValue());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, buf.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static float[] read(Path file, int vocab) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofShared()) {
            long size = ch.size();
            if (size < 24) {
                throw new IOException(file + ": short file (" + size + " bytes)");
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            byte[] magic = seg.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a term offsets file (bad magic)");
            }
            ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            int version = seg.get(i32, 8);
            int n = seg.get(i32, 12);
            if (version != VERSION) {
                throw new IOException(file + ": version " + version + ", this build reads " + VERSION);
            }
            if (n != vocab || size != 16 + 4L * n + 8) {
                throw new IOException(file + ": holds " + n + " offsets in " + size + " bytes, the model has " + vocab + " terms");
            }
            CRC32C crc = new CRC32C();
            crc.update(seg.asSlice(0, size - 8).asByteBuffer());
            long stored = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), size - 8);
            if (stored != crc.getValue()) {
                throw new IOException(file + ": checksum mismatch");
            }
            float[] out = new float[n];
            MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 16, out, 0, n);
            return out;
        }
    }
}
