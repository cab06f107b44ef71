package dev.lsr.seismic.store;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.forward.DocSketches;
import dev.lsr.seismic.forward.SketchCodebook;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.forward.WeightEncoding;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The on-disk form of a {@link SeismicIndex}: one self-contained little-endian blob.
 *
 * <pre>
 * header   magic "LSRSEISM" (8 bytes) | version i32 | header length i32 | dim i32 | docs i32 |
 *          weight encoding i32 | kappa i32 | section count i32 | sketch terms i32 |
 *          section count x (offset i64, length i64), offsets from the blob start
 * sections forward offsets, ids, weights, scales; list blocks; block postings; postings;
 *          summary starts, ids, weights, scales; kNN graph; document sketches; sketch codebook —
 *          each starting at a multiple of 8
 * (version 1: 12 sections, no sketches, the sketch-terms field reserved as 0; version 2: 13
 * sections, sketch records of u16 term | f16 weight, no codebook, re-encoded when opened; both
 * still read)
 * footer   magic "LSRSEEND" (8 bytes) | CRC32C of every byte before the footer (i64)
 * </pre>
 *
 * <p>{@link #open(MemorySegment, String)} reads nothing into the heap: each section is a slice of
 * the given segment, read with unaligned little-endian layouts, so the blob may live at any offset
 * of a larger (e.g. Lucene) file.
 */
public final class SeismicFormat {
    public static final long MAGIC = magic("LSRSEISM");
    public static final long FOOTER_MAGIC = magic("LSRSEEND");
    public static final int VERSION = 3;
    static final int SECTIONS = 14;
    /** Version 2 blobs (half-float sketch records) hold the first 13 sections. */
    static final int V2_SECTIONS = 13;
    /** Version 1 blobs (written before document sketches) hold the first 12 sections. */
    static final int V1_SECTIONS = 12;
    static final int FIXED_HEADER = 8 + 4 * 8;
    static final int HEADER = FIXED_HEADER + SECTIONS * 16;
    static final int FOOTER = 16;

    private SeismicFormat() {}

    private static long magic(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static MemorySegment[] sections(SeismicIndex idx) {
        ForwardIndex f = idx.forward();
        return new MemorySegment[] {
            f.offsetsSegment(), f.idsSegment(), f.weightsSegment(), f.scalesSegment(),
            idx.listBlocks(), idx.blockPostings(), idx.postings(),
            idx.summaryStarts(), idx.summaryIds(), idx.summaryWeights(), idx.summaryScales(),
            idx.knn(), idx.sketches().records(),
            idx.sketches().present() ? idx.sketches().codebook().segment() : MemorySegment.ofArray(new byte[0])
        };
    }

    /** The exact number of bytes {@link #write} produces. */
    public static long serializedSize(SeismicIndex index) {
        long pos = HEADER;
        for (MemorySegment s : sections(index)) {
            pos = align8(pos) + s.byteSize();
        }
        return align8(pos) + FOOTER;
    }

    private static long align8(long x) {
        return (x + 7) & ~7L;
    }

    /** Writes the blob; the stream is not closed. */
    public static void write(SeismicIndex index, OutputStream out) throws IOException {
        MemorySegment[] secs = sections(index);
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(MAGIC).putInt(VERSION).putInt(HEADER).putInt(index.dim()).putInt(index.size())
                .putInt(index.forward().encoding().code()).putInt(index.kappa()).putInt(SECTIONS)
                .putInt(index.sketches().terms());
        long pos = HEADER;
        for (MemorySegment s : secs) {
            pos = align8(pos);
            header.putLong(pos).putLong(s.byteSize());
            pos += s.byteSize();
        }
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 20];
        crc.update(header.array());
        out.write(header.array());
        pos = HEADER;
        byte[] zeros = new byte[8];
        for (MemorySegment s : secs) {
            int pad = (int) (align8(pos) - pos);
            crc.update(zeros, 0, pad);
            out.write(zeros, 0, pad);
            pos += pad;
            for (long off = 0; off < s.byteSize(); off += buf.length) {
                int len = (int) Math.min(buf.length, s.byteSize() - off);
                MemorySegment.copy(s, Layouts.U8, off, buf, 0, len);
                crc.update(buf, 0, len);
                out.write(buf, 0, len);
            }
            pos += s.byteSize();
        }
        int pad = (int) (align8(pos) - pos);
        crc.update(zeros, 0, pad);
        out.write(zeros, 0, pad);
        ByteBuffer footer = ByteBuffer.allocate(FOOTER).order(ByteOrder.LITTLE_ENDIAN);
        footer.putLong(FOOTER_MAGIC).putLong(crc.getValue());
        out.write(footer.array());
    }

    /** Opens a blob, verifying its checksum. */
    public static SeismicIndex open(MemorySegment blob, String nameForErrors) throws CorruptIndexException {
        return open(blob, nameForErrors, true);
    }

    /**
     * Opens a blob in place. With {@code verifyChecksum} false the structure is still validated
     * (magic, version, bounds, section sizes) but the CRC pass over every byte is skipped, for
     * callers that verify the enclosing file themselves.
     */
    public static SeismicIndex open(MemorySegment blob, String name, boolean verifyChecksum) throws CorruptIndexException {
        long size = blob.byteSize();
        if (size < FIXED_HEADER + V1_SECTIONS * 16 + FOOTER) {
            throw new CorruptIndexException(name + ": not a Seismic index: too short (" + size + " bytes)");
        }
        if (blob.get(Layouts.I64, 0) != MAGIC) {
            throw new CorruptIndexException(name + ": not a Seismic index (bad magic)");
        }
        int version = blob.get(Layouts.I32, 8);
        if (version < 1 || version > VERSION) {
            throw new CorruptIndexException(name + ": unsupported Seismic format version " + version
                    + " (this build reads versions 1 to " + VERSION + ")");
        }
        int sections = version == 1 ? V1_SECTIONS : version == 2 ? V2_SECTIONS : SECTIONS;
        if (blob.get(Layouts.I64, size - FOOTER) != FOOTER_MAGIC) {
            throw new CorruptIndexException(name + ": truncated or damaged Seismic index (no footer at the end)");
        }
        int headerLen = blob.get(Layouts.I32, 12);
        int dim = blob.get(Layouts.I32, 16);
        int docs = blob.get(Layouts.I32, 20);
        int encCode = blob.get(Layouts.I32, 24);
        int kappa = blob.get(Layouts.I32, 28);
        int nSections = blob.get(Layouts.I32, 32);
        int sketchTerms = blob.get(Layouts.I32, 36);
        if (headerLen != FIXED_HEADER + sections * 16 || nSections != sections || dim <= 0 || docs < 0 || kappa < 0
                || (version == 1 && sketchTerms != 0)) {
            throw new CorruptIndexException(name + ": damaged Seismic index header");
        }
        if (verifyChecksum) {
            long expected = blob.get(Layouts.I64, size - 8);
            long actual = crc32c(blob, size - FOOTER);
            if (expected != actual) {
                throw new CorruptIndexException(name + ": Seismic index checksum mismatch (stored "
                        + Long.toHexString(expected) + ", computed " + Long.toHexString(actual) + ")");
            }
        }
        MemorySegment[] s = new MemorySegment[sections];
        for (int i = 0; i < sections; i++) {
            long off = blob.get(Layouts.I64, FIXED_HEADER + i * 16L);
            long len = blob.get(Layouts.I64, FIXED_HEADER + i * 16L + 8);
            if (off < headerLen || len < 0 || off > size - FOOTER || len > size - FOOTER - off) {
                throw new CorruptIndexException(name + ": Seismic index section " + i + " lies outside the file");
            }
            s[i] = blob.asSlice(off, len);
        }
        try {
            WeightEncoding enc = WeightEncoding.ofCode(encCode);
            ForwardIndex fwd = new ForwardIndex(docs, dim, enc, s[0], s[1], s[2], s[3]);
            DocSketches sketches = version == 1 || sketchTerms == 0 ? DocSketches.NONE
                    : version == 2 ? DocSketches.fromHalfFloatRecords(sketchTerms, s[12], Arena.ofAuto())
                    : new DocSketches(sketchTerms, s[12], SketchCodebook.read(s[13]));
            return new SeismicIndex(fwd, s[4], s[5], s[6], s[7], s[8], s[9], s[10], kappa, s[11], sketches);
        } catch (RuntimeException e) {
            throw new CorruptIndexException(name + ": damaged Seismic index: " + e.getMessage(), e);
        }
    }

    static long crc32c(MemorySegment seg, long len) {
        CRC32C crc = new CRC32C();
        long chunk = 1L << 30;
        for (long off = 0; off < len; off += chunk) {
            crc.update(seg.asSlice(off, Math.min(chunk, len - off)).asByteBuffer());
        }
        return crc.getValue();
    }

    /** Writes to {@code file} atomically (temp file, then move). */
    public static void save(SeismicIndex index, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            write(index, out);
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Maps {@code file} read-only into {@code arena} and opens it; the index lives as long as the arena.
     * Give it a shared arena (as the collections' codec does) or an automatic one: a confined arena's
     * index can be searched from its own thread only, and its segments reaching the same search loops
     * as the segments of other indexes make C2 deoptimise and recompile those loops over and over
     * (seismic-blocks/README.md, "Open with a shared arena").
     */
    public static SeismicIndex open(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return open(seg, file.toString());
        }
    }
}
