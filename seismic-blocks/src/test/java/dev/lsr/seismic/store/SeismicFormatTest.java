package dev.lsr.seismic.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.TestData;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.DocSketches;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.SyntheticCollection;
import dev.lsr.seismic.search.SearchParams;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeismicFormatTest {
    static final SyntheticCollection COLL = new SyntheticCollection(3_000, 3);
    static SeismicIndex index;
    static List<SparseVector> queries;

    @BeforeAll
    static void build() {
        index = SeismicBuilder.build(TestData.forward(COLL, 3_000, WeightEncoding.U8),
                BuildParams.defaults().withNPostings(100).withKappa(3).withThreads(2));
        queries = TestData.queries(COLL, 30);
    }

    static void assertSameResults(SeismicIndex a, SeismicIndex b) {
        assertThat(b.size()).isEqualTo(a.size());
        assertThat(b.bytes()).isEqualTo(a.bytes());
        for (int d = 0; d < a.size(); d += 97) {
            assertThat(b.forward().vector(d)).isEqualTo(a.forward().vector(d));
        }
        var sa = a.newSearcher();
        var sb = b.newSearcher();
        int[] oa = new int[10];
        int[] ob = new int[10];
        float[] xa = new float[10];
        float[] xb = new float[10];
        for (SparseVector q : queries) {
            int na = sa.search(q, SearchParams.defaults(), null, oa, xa);
            int nb = sb.search(q, SearchParams.defaults(), null, ob, xb);
            assertThat(Arrays.copyOf(ob, nb)).containsExactly(Arrays.copyOf(oa, na));
            assertThat(Arrays.copyOf(xb, nb)).containsExactly(Arrays.copyOf(xa, na));
        }
    }

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("seg.seismic");
        SeismicFormat.save(index, file);
        assertThat(Files.size(file)).isEqualTo(SeismicFormat.serializedSize(index));
        try (Arena arena = Arena.ofShared()) {
            assertSameResults(index, SeismicFormat.open(file, arena));
        }
    }

    @Test
    void keepsTheDocumentSketches() throws Exception {
        assertThat(index.sketches().terms()).isEqualTo(BuildParams.DEFAULT_SKETCH_TERMS);
        try (Arena arena = Arena.ofShared()) {
            SeismicIndex opened = openBytes(bytes(), arena);
            assertThat(opened.sketches().terms()).isEqualTo(index.sketches().terms());
            assertThat(opened.sketches().records().mismatch(index.sketches().records())).isEqualTo(-1L);
            assertThat(opened.sketches().codebook().weights()).containsExactly(index.sketches().codebook().weights());
        }
    }

    /**
     * Version 1 blobs (before document sketches: 12 sections, reserved field 0) are what older
     * collections hold on disk; they open without sketches and search as before.
     */
    @Test
    void readsVersionOneBlobsWithoutSketches() throws Exception {
        SeismicIndex plain = SeismicBuilder.build(TestData.forward(COLL, 3_000, WeightEncoding.U8),
                BuildParams.defaults().withNPostings(100).withKappa(3).withThreads(2).withSketchTerms(0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SeismicFormat.write(plain, out);
        byte[] v1 = olderBlob(out.toByteArray(), 1, 0, List.of());
        try (Arena arena = Arena.ofShared()) {
            SeismicIndex opened = openBytes(v1, arena);
            assertThat(opened.sketches().present()).isFalse();
            assertSameResults(plain, opened);
        }
    }

    /**
     * Version 2 blobs kept their sketches as {@code u16 term | f16 weight << 16}; they open with the
     * same terms re-encoded into the codebook layout, each weight the largest code not above the
     * half float, and search with them.
     */
    @Test
    void readsVersionTwoBlobsReencodingTheirSketches() throws Exception {
        DocSketches now = index.sketches();
        int terms = now.terms();
        byte[] records = new byte[(int) now.size() * terms * 4];
        java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(records).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int d = 0; d < now.size(); d++) {
            for (int j = 0; j < terms; j++) {
                // A half float just above the codebook's weight: version 2 kept finer weights.
                float w = now.weightAt(d, j);
                short h = Float.floatToFloat16(w * 1.01f);
                r.putInt(now.termAt(d, j) | (w == 0f ? 0 : (h & 0xFFFF)) << 16);
            }
        }
        byte[] v2 = olderBlob(bytes(), 2, terms, List.of(records));
        try (Arena arena = Arena.ofShared()) {
            SeismicIndex opened = openBytes(v2, arena);
            DocSketches back = opened.sketches();
            assertThat(back.terms()).isEqualTo(terms);
            assertThat(back.size()).isEqualTo(now.size());
            int finer = 0;
            for (int d = 0; d < now.size(); d += 13) {
                for (int j = 0; j < terms; j++) {
                    float half = Float.float16ToFloat((short) (r.getInt((d * terms + j) * 4) >>> 16));
                    assertThat(back.termAt(d, j)).isEqualTo(now.termAt(d, j));
                    assertThat(back.weightAt(d, j)).isLessThanOrEqualTo(half)
                            .isEqualTo(back.codebook().weight(back.codebook().encode(half)));
                    finer += back.weightAt(d, j) > 0f ? 1 : 0;
                }
            }
            assertThat(finer).isPositive();
            int[] o = new int[10];
            float[] x = new float[10];
            int n = opened.newSearcher().search(queries.get(0), SearchParams.defaults(), null, o, x);
            assertThat(n).isEqualTo(10);
        }
    }

    /**
     * This build's blob rewritten as an older version: its first {@code keep} sections (12) plus
     * {@code extra} sections, the header of that version.
     */
    private static byte[] olderBlob(byte[] current, int version, int sketchTerms, List<byte[]> extra) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(current).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<byte[]> secs = new java.util.ArrayList<>();
        for (int i = 0; i < SeismicFormat.V1_SECTIONS; i++) {
            int off = (int) in.getLong(SeismicFormat.FIXED_HEADER + i * 16);
            int len = (int) in.getLong(SeismicFormat.FIXED_HEADER + i * 16 + 8);
            secs.add(Arrays.copyOfRange(current, off, off + len));
        }
        secs.addAll(extra);
        int header = SeismicFormat.FIXED_HEADER + secs.size() * 16;
        long pos = header;
        java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putLong(in.getLong(0)).putInt(version).putInt(header);
        for (int off = 16; off < 32; off += 4) {
            h.putInt(in.getInt(off));
        }
        h.putInt(secs.size()).putInt(sketchTerms);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] sec : secs) {
            long aligned = (pos + 7) & ~7L;
            body.writeBytes(new byte[(int) (aligned - pos)]);
            h.putLong(aligned).putLong(sec.length);
            body.writeBytes(sec);
            pos = aligned + sec.length;
        }
        body.writeBytes(new byte[(int) (((pos + 7) & ~7L) - pos)]);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(h.array());
        all.writeBytes(body.toByteArray());
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(all.toByteArray());
        java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(SeismicFormat.FOOTER).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        f.putLong(SeismicFormat.FOOTER_MAGIC).putLong(crc.getValue());
        all.writeBytes(f.array());
        return all.toByteArray();
    }

    @Test
    void opensASliceAtAnUnalignedOffsetOfALargerBlob() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {1, 2, 3});
        SeismicFormat.write(index, out);
        out.write(new byte[] {9, 9});
        byte[] all = out.toByteArray();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(all.length);
            MemorySegment.copy(all, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, all.length);
            SeismicIndex opened = SeismicFormat.open(seg.asSlice(3, all.length - 5), "embedded.blob");
            assertSameResults(index, opened);
        }
    }

    private static byte[] bytes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SeismicFormat.write(index, out);
        return out.toByteArray();
    }

    private static SeismicIndex openBytes(byte[] b, Arena arena) throws CorruptIndexException {
        MemorySegment seg = arena.allocate(Math.max(1, b.length));
        MemorySegment.copy(b, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
        return SeismicFormat.open(seg.asSlice(0, b.length), "bad.seismic");
    }

    @Test
    void refusesAFlippedByte() throws Exception {
        byte[] b = bytes();
        b[b.length / 2] ^= 0x10;
        try (Arena arena = Arena.ofShared()) {
            assertThatThrownBy(() -> openBytes(b, arena)).isInstanceOf(CorruptIndexException.class)
                    .hasMessageContaining("bad.seismic").hasMessageContaining("checksum");
        }
    }

    @Test
    void refusesTruncation() throws Exception {
        byte[] b = bytes();
        try (Arena arena = Arena.ofShared()) {
            for (int len : new int[] {0, 10, 300, b.length - 1, b.length / 2}) {
                byte[] cut = Arrays.copyOf(b, len);
                assertThatThrownBy(() -> openBytes(cut, arena)).isInstanceOf(CorruptIndexException.class)
                        .hasMessageContaining("bad.seismic");
            }
        }
    }

    @Test
    void refusesAnotherVersionAndMagic() throws Exception {
        byte[] b = bytes();
        b[8] = 99;
        try (Arena arena = Arena.ofShared()) {
            assertThatThrownBy(() -> openBytes(b, arena)).isInstanceOf(CorruptIndexException.class)
                    .hasMessageContaining("bad.seismic").hasMessageContaining("version 99");
            byte[] c = bytes();
            c[0] = 'X';
            assertThatThrownBy(() -> openBytes(c, arena)).hasMessageContaining("bad.seismic").hasMessageContaining("magic");
        }
    }

    @Test
    void refusesAMissingFileWithItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("short.seismic");
        Files.write(file, new byte[] {1, 2, 3});
        try (Arena arena = Arena.ofShared()) {
            assertThatThrownBy(() -> SeismicFormat.open(file, arena)).isInstanceOf(CorruptIndexException.class)
                    .hasMessageContaining(file.toString());
        }
    }
}
