package dev.lsr.encoder.model.tf;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TensorFlow checkpoint index ({@code variables.index}): a LevelDB-style sorted table whose
 * keys are variable names and whose values are {@link BundleEntryProto}s (the empty key holds the
 * header). Blocks must be uncompressed, which is how TensorFlow writes them.
 */
public final class TensorBundleIndex {

    /** One variable: its shape and where its raw little-endian values lie in the data file. */
    public record Entry(String name, int dtype, long[] shape, int shard, long offset, long size) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    static final long MAGIC = 0xdb4775248b80fb57L;
    static final int FOOTER = 48;
    public static final int DT_FLOAT = 1;

    private TensorBundleIndex() {}

    public static Map<String, Entry> read(byte[] file, String what) throws IOException {
        if (file.length < FOOTER) {
            throw new IOException(what + ": too short for a table (" + file.length + " bytes)");
        }
        ByteBuffer footer = ByteBuffer.wrap(file, file.length - FOOTER, FOOTER).order(ByteOrder.LITTLE_ENDIAN);
        long magic = ByteBuffer.wrap(file, file.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (magic != MAGIC) {
            throw new IOException(what + ": not a TensorFlow checkpoint index (bad table magic)");
        }
        readVarint(footer); // metaindex offset
        readVarint(footer); // metaindex size
        long indexOffset = readVarint(footer);
        long indexSize = readVarint(footer);
        Map<String, Entry> out = new LinkedHashMap<>();
        for (byte[][] kv : block(file, indexOffset, indexSize, what)) {
            ByteBuffer handle = ByteBuffer.wrap(kv[1]);
            long off = readVarint(handle);
            long size = readVarint(handle);
            if (off + size + 5 > file.length) {
                throw new IOException(what + ": data block beyond the end of the file");
            }
            if (file[(int) (off + size)] != 0) {
                throw new IOException(what + ": compressed blocks are not supported");
            }
            for (byte[][] e : block(file, off, size, what)) {
                String key = new String(e[0], StandardCharsets.UTF_8);
                if (key.isEmpty()) {
                    continue; // the BundleHeaderProto
                }
                BundleEntryProto p;
                try {
                    p = BundleEntryProto.parseFrom(e[1]);
                } catch (InvalidProtocolBufferException ex) {
                    throw new IOException(what + ": entry " + key + " is not a BundleEntryProto", ex);
                }
                long[] shape = p.getShape().getDimList().stream().mapToLong(TfTensorShapeProto.Dim::getSize).toArray();
                out.put(key, new Entry(key, p.getDtype(), shape, p.getShardId(), p.getOffset(), p.getSize()));
            }
        }
        return out;
    }

    /** The key/value pairs of one block (keys prefix-compressed against the previous key). */
    private static List<byte[][]> block(byte[] file, long offset, long size, String what) throws IOException {
        if (offset < 0 || size < 4 || offset + size > file.length) {
            throw new IOException(what + ": bad block handle " + offset + "+" + size);
        }
        ByteBuffer b = ByteBuffer.wrap(file, (int) offset, (int) size).order(ByteOrder.LITTLE_ENDIAN);
        int numRestarts = b.getInt((int) (offset + size - 4));
        int limit = (int) (offset + size - 4 - 4L * numRestarts);
        List<byte[][]> out = new java.util.ArrayList<>();
        byte[] prev = new byte[0];
        while (b.position() < limit) {
            int shared = (int) readVarint(b);
            int nonShared = (int) readVarint(b);
            int valueLen = (int) readVarint(b);
            byte[] key = new byte[shared + nonShared];
            System.arraycopy(prev, 0, key, 0, shared);
            b.get(key, shared, nonShared);
            byte[] value = new byte[valueLen];
            b.get(value);
            out.add(new byte[][] {key, value});
            prev = key;
        }
        return out;
    }

    static long readVarint(ByteBuffer b) {
        long result = 0;
        int shift = 0;
        while (true) {
            byte x = b.get();
            result |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }
}
