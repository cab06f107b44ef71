package dev.lsr.eval.beir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model's own per-term output for every document, before any centring or pruning: the max
 * over tokens of the vocabulary logits, one float32 per term (a SciFact abstract: 30,522 x 4
 * bytes; 633 MB for the corpus). Full precision, so vectors derived from it are exactly the
 * encoder's. With it, document-sparsity settings are tried without running the model again.
 *
 * <p>Same crash rules as {@link EncodedCorpusCache}: chunks forced to disk, then an atomic
 * checkpoint; chunk files carry magic, version and a CRC32C and are read by memory-mapping.
 */
public final class LogitCache {

    static final int MAGIC = 0x4C52534C; // "LSRL" little-endian
    static final int VERSION = 2;
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path dir;
    private final int totalDocs;
    private final int dim;
    private int chunks;
    private int docsDone;

    private LogitCache(Path dir, int totalDocs, int dim, int chunks, int docsDone) {
        this.dir = dir;
        this.totalDocs = totalDocs;
        this.dim = dim;
        this.chunks = chunks;
        this.docsDone = docsDone;
    }

    public static LogitCache open(Path dir, Map<String, Object> description, int totalDocs, int dim) {
        try {
            Files.createDirectories(dir);
            Path manifest = dir.resolve("manifest.json");
            if (Files.exists(manifest)) {
                JsonNode old = JSON.readTree(manifest.toFile());
                if (old.path("docs").asInt() != totalDocs || old.path("dim").asInt() != dim) {
                    throw new IllegalStateException("logit cache " + dir + " was written for other data; delete it");
                }
            } else {
                Map<String, Object> m = new LinkedHashMap<>(description);
                m.put("docs", totalDocs);
                m.put("dim", dim);
                m.put("dtype", "float32");
                write(manifest, JSON.writeValueAsBytes(m));
            }
            int chunks = 0;
            int done = 0;
            Path cp = dir.resolve("checkpoint.json");
            if (Files.exists(cp)) {
                JsonNode c = JSON.readTree(cp.toFile());
                chunks = c.path("chunks").asInt();
                done = c.path("docs").asInt();
            }
            return new LogitCache(dir, totalDocs, dim, chunks, done);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open logit cache " + dir + ": " + e.getMessage(), e);
        }
    }

    public int completedDocs() {
        return docsDone;
    }

    public boolean complete() {
        return docsDone == totalDocs;
    }

    public Path directory() {
        return dir;
    }

    public void append(List<float[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(16 + rows.size() * dim * 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(rows.size()).putInt(dim);
        for (float[] r : rows) {
            if (r.length != dim) {
                throw new IllegalArgumentException("logit row of length " + r.length + ", expected " + dim);
            }
            for (float x : r) {
                buf.putFloat(x);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putLong(crc.getValue());
        Path chunk = dir.resolve(String.format("logits-%06d.bin", chunks));
        try (FileChannel ch = FileChannel.open(chunk, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
            chunks++;
            docsDone += rows.size();
            write(dir.resolve("checkpoint.json"), JSON.writeValueAsBytes(Map.of("chunks", chunks, "docs", docsDone)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + chunk + ": " + e.getMessage(), e);
        }
    }

    /** All rows, row-major {@code [docs][dim]}. */
    public float[][] readAll() {
        float[][] out = new float[docsDone][];
        int row = 0;
        for (int c = 0; c < chunks; c++) {
            Path chunk = dir.resolve(String.format("logits-%06d.bin", c));
            try (FileChannel ch = FileChannel.open(chunk, StandardOpenOption.READ); Arena arena = Arena.ofShared()) {
                long size = ch.size();
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                if (size < 24 || seg.get(i32, 0) != MAGIC || seg.get(i32, 4) != VERSION || seg.get(i32, 12) != dim) {
                    throw new IllegalStateException(chunk + ": not a logit-cache chunk of version " + VERSION + " and dim " + dim);
                }
                CRC32C crc = new CRC32C();
                crc.update(seg.asSlice(0, size - 8).asByteBuffer());
                if (seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), size - 8) != crc.getValue()) {
                    throw new IllegalStateException(chunk + ": checksum mismatch; delete " + dir);
                }
                int count = seg.get(i32, 8);
                long off = 16;
                for (int d = 0; d < count; d++) {
                    float[] r = new float[dim];
                    MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), off, r, 0, dim);
                    off += 4L * dim;
                    out[row++] = r;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + chunk + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
