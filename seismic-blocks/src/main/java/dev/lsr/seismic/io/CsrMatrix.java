package dev.lsr.seismic.io;

import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.Layouts;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A BigANN'23 sparse-track {@code .csr} file, memory-mapped: int64 rows, int64 cols, int64 nnz,
 * int64 indptr[rows + 1], int32 indices[nnz], float32 data[nnz], little-endian. Rows are decoded
 * on demand; a bad row is reported with its number.
 */
public final class CsrMatrix {
    private final String name;
    private final int rows;
    private final int cols;
    private final long nnz;
    private final MemorySegment indptr;
    private final MemorySegment indices;
    private final MemorySegment data;

    private CsrMatrix(String name, int rows, int cols, long nnz, MemorySegment indptr, MemorySegment indices,
            MemorySegment data) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.nnz = nnz;
        this.indptr = indptr;
        this.indices = indices;
        this.data = data;
    }

    /** Maps {@code file} into {@code arena} and checks that its sizes are consistent. */
    public static CsrMatrix open(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return of(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena), file.toString());
        }
    }

    public static CsrMatrix of(MemorySegment seg, String name) {
        long size = seg.byteSize();
        if (size < 24) {
            throw new MalformedInputException(name + ": not a .csr file: " + size + " bytes, the header alone is 24");
        }
        long rows = seg.get(Layouts.I64, 0);
        long cols = seg.get(Layouts.I64, 8);
        long nnz = seg.get(Layouts.I64, 16);
        if (rows < 0 || rows > Integer.MAX_VALUE - 1 || cols <= 0 || cols > Integer.MAX_VALUE || nnz < 0) {
            throw new MalformedInputException(name + ": bad .csr header (rows " + rows + ", cols " + cols + ", nnz " + nnz + ")");
        }
        long expected = 24 + (rows + 1) * 8 + nnz * 8;
        if (size != expected) {
            throw new MalformedInputException(name + ": .csr file is " + size + " bytes but its header (rows " + rows
                    + ", nnz " + nnz + ") implies " + expected);
        }
        MemorySegment indptr = seg.asSlice(24, (rows + 1) * 8);
        MemorySegment indices = seg.asSlice(24 + (rows + 1) * 8, nnz * 4);
        MemorySegment data = seg.asSlice(24 + (rows + 1) * 8 + nnz * 4, nnz * 4);
        if (indptr.get(Layouts.I64, 0) != 0 || indptr.get(Layouts.I64, rows * 8) != nnz) {
            throw new MalformedInputException(name + ": .csr indptr must start at 0 and end at nnz " + nnz);
        }
        return new CsrMatrix(name, (int) rows, (int) cols, nnz, indptr, indices, data);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public long nnz() {
        return nnz;
    }

    /** Row {@code i} as a validated vector (indices may be stored in any order). */
    public SparseVector row(int i) {
        long p0 = indptr.get(Layouts.I64, i * 8L);
        long p1 = indptr.get(Layouts.I64, (i + 1L) * 8);
        if (p0 < 0 || p1 < p0 || p1 > nnz || p1 - p0 > Integer.MAX_VALUE) {
            throw new MalformedInputException(name + ": row " + i + ": indptr [" + p0 + ", " + p1 + ") is out of range");
        }
        int n = (int) (p1 - p0);
        int[] ids = new int[n];
        float[] ws = new float[n];
        for (int j = 0; j < n; j++) {
            ids[j] = indices.get(Layouts.I32, (p0 + j) * 4);
            ws[j] = data.get(Layouts.F32, (p0 + j) * 4);
        }
        try {
            return SparseVector.ofUnsorted(ids, ws, cols);
        } catch (InvalidVectorException e) {
            throw new MalformedInputException(name + ": row " + i + ": " + e.getMessage(), e);
        }
    }

    /** Writes vectors as a {@code .csr} file (for tests and for exporting collections). */
    public static void write(Path file, List<SparseVector> vectors, int cols) throws IOException {
        long nnz = 0;
        for (SparseVector v : vectors) {
            nnz += v.size();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(vectors.size()).putLong(cols).putLong(nnz);
            long p = 0;
            b = put(ch, b, 8).putLong(0);
            for (SparseVector v : vectors) {
                p += v.size();
                b = put(ch, b, 8).putLong(p);
            }
            for (SparseVector v : vectors) {
                for (int i = 0; i < v.size(); i++) {
                    b = put(ch, b, 4).putInt(v.index(i));
                }
            }
            for (SparseVector v : vectors) {
                for (int i = 0; i < v.size(); i++) {
                    b = put(ch, b, 4).putFloat(v.value(i));
                }
            }
            b.flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        if (Files.size(file) != 24 + (vectors.size() + 1L) * 8 + nnz * 8) {
            throw new IOException(file + ": short write");
        }
    }

    private static ByteBuffer put(FileChannel ch, ByteBuffer b, int need) throws IOException {
        if (b.remaining() < need) {
            b.flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            b.clear();
        }
        return b;
    }
}
