package dev.lsr.eval.beir;

import dev.lsr.seismic.SparseVector;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The encoded corpus on disk, one directory per (model checksum, corpus checksum, encoder options).
 *
 * <p>Vectors are appended in corpus order as chunk files; after each chunk is forced to disk,
 * {@code checkpoint.json} is atomically replaced with the number of complete chunks. A run that is
 * interrupted resumes after the last checkpointed chunk; a chunk written after the checkpoint is
 * simply rewritten. Chunk files follow the project's binary rules: magic + version, little-endian,
 * a CRC32C at the end, read by memory-mapping.
 */
public final class EncodedCorpusCache {

    static final int MAGIC = 0x4352534C; // "LSRC" little-endian
    static final int VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path dir;
    private final int totalDocs;
    private final int dim;
    private int chunks;
    private int docsDone;

    private EncodedCorpusCache(Path dir, int totalDocs, int dim, int chunks, int docsDone) {
        this.dir = dir;
        this.totalDocs = totalDocs;
        this.dim = dim;
        this.chunks = chunks;
        this.docsDone = docsDone;
    }

    /** The cache key: a digest over everything that changes the vectors. */
    public static String key(String modelChecksum, String corpusChecksum, String encoderOptions) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : new String[] {modelChecksum, corpusChecksum, encoderOptions}) {
                md.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens (or starts) the cache directory {@code root/key}; {@code description} is written to
     * {@code manifest.json} for people and checked against on reopen.
     */
    public static EncodedCorpusCache open(Path root, String key, Map<String, Object> description, int totalDocs, int dim) {
        Path dir = root.resolve(key);
        try {
            Files.createDirectories(dir);
            Path manifest = dir.resolve("manifest.json");
            Map<String, Object> m = new LinkedHashMap<>(description);
            m.put("docs", totalDocs);
            m.put("dim", dim);
            if (Files.exists(manifest)) {
                JsonNode old = JSON.readTree(manifest.toFile());
                if (old.path("docs").asInt() != totalDocs || old.path("dim").asInt() != dim) {
                    throw new IllegalStateException("encoding cache " + dir + " was written for "
                            + old.path("docs").asInt() + " docs of dim " + old.path("dim").asInt()
                            + "; delete it or choose another --cache");
                }
            } else {
                writeAtomically(manifest, JSON.writeValueAsBytes(m));
            }
            int chunks = 0;
            int done = 0;
            Path cp = dir.resolve("checkpoint.json");
            if (Files.exists(cp)) {
                JsonNode c = JSON.readTree(cp.toFile());
                chunks = c.path("chunks").asInt();
                done = c.path("docs").asInt();
            }
            return new EncodedCorpusCache(dir, totalDocs, dim, chunks, done);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open encoding cache " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Documents already encoded and checkpointed, the corpus-order position to resume from. */
    public int completedDocs() {
        return docsDone;
    }

    public boolean complete() {
        return docsDone == totalDocs;
    }

    /** Appends the next vectors in corpus order as one chunk and checkpoints it. */
    public void append(List<SparseVector> vectors) {
        if (vectors.isEmpty()) {
            return;
        }
        if (docsDone + vectors.size() > totalDocs) {
            throw new IllegalStateException("appending past the corpus end: " + (docsDone + vectors.size()) + " > " + totalDocs);
        }
        long bytes = 16;
        for (SparseVector v : vectors) {
            bytes += 4 + 8L * v.size();
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(bytes + 8)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(vectors.size()).putInt(dim);
        for (SparseVector v : vectors) {
            buf.putInt(v.size());
            for (int i = 0; i < v.size(); i++) {
                buf.putInt(v.index(i));
            }
            for (int i = 0; i < v.size(); i++) {
                buf.putFloat(v.value(i));
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putLong(crc.getValue());
        Path chunk = chunkFile(chunks);
        try (FileChannel ch = FileChannel.open(chunk, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
            chunks++;
            docsDone += vectors.size();
            Map<String, Object> cp = new LinkedHashMap<>();
            cp.put("chunks", chunks);
            cp.put("docs", docsDone);
            writeAtomically(dir.resolve("checkpoint.json"), JSON.writeValueAsBytes(cp));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + chunk + ": " + e.getMessage(), e);
        }
    }

    /** Every checkpointed vector, in corpus order; each chunk's magic, version and checksum checked. */
    public List<SparseVector> readAll() {
        List<SparseVector> out = new ArrayList<>(docsDone);
        for (int c = 0; c < chunks; c++) {
            Path chunk = chunkFile(c);
            try (FileChannel ch = FileChannel.open(chunk, StandardOpenOption.READ); Arena arena = Arena.ofShared()) {
                long size = ch.size();
                if (size < 24) {
                    throw new IllegalStateException(chunk + ": short file (" + size + " bytes); delete the cache directory " + dir);
                }
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                if (seg.get(i32, 0) != MAGIC || seg.get(i32, 4) != VERSION) {
                    throw new IllegalStateException(chunk + ": not an lsr encoding-cache chunk of version " + VERSION);
                }
                CRC32C crc = new CRC32C();
                crc.update(seg.asSlice(0, size - 8).asByteBuffer());
                long stored = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), size - 8);
                if (stored != crc.getValue()) {
                    throw new IllegalStateException(chunk + ": checksum mismatch; delete the cache directory " + dir);
                }
                int count = seg.get(i32, 8);
                long off = 16;
                for (int d = 0; d < count; d++) {
                    int nnz = seg.get(i32, off);
                    off += 4;
                    int[] ids = new int[nnz];
                    float[] ws = new float[nnz];
                    MemorySegment.copy(seg, i32, off, ids, 0, nnz);
                    off += 4L * nnz;
                    MemorySegment.copy(seg, f32, off, ws, 0, nnz);
                    off += 4L * nnz;
                    out.add(SparseVector.wrap(ids, ws, dim));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + chunk + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private Path chunkFile(int c) {
        return dir.resolve(String.format("chunk-%06d.bin", c));
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
