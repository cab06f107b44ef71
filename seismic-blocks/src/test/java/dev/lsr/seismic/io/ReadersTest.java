package dev.lsr.seismic.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {

    static Path shared(String rel) {
        String root = System.getProperty("lsr.shared", "../../shared");
        Path p = Path.of(root).resolve(rel);
        if (!Files.isRegularFile(p)) {
            System.out.println("skipping: " + p + " is absent");
        }
        Assumptions.assumeTrue(Files.isRegularFile(p), "shared file absent: " + p);
        return p;
    }

    @Test
    void readsTheFirstRealSpladeQueries() throws Exception {
        Path file = shared("data/msmarco-dev/queries.splade-pp-ed.tsv.gz");
        // Numeric ids need no vocabulary; the shared file holds tokens, so map through a
        // vocabulary made of exactly the tokens of the first lines.
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 20; i++) {
                lines.add(r.readLine());
            }
        }
        List<String> vocab = lines.stream().flatMap(l -> java.util.Arrays.stream(l.split("\t")[1].split(" ")))
                .distinct().sorted().toList();
        byte[] sample = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        List<IdVector> qs = AnseriniQueryTsv.read(new ByteArrayInputStream(sample), "sample.tsv",
                TokenMapper.of(new Vocabulary(vocab), 0), AnseriniQueryTsv.DEFAULT_SCALE);
        assertThat(qs).hasSize(20);
        IdVector first = qs.getFirst();
        assertThat(first.id()).isEqualTo(lines.getFirst().split("\t")[0]);
        String[] toks = lines.getFirst().split("\t")[1].split(" ");
        String tok = toks[0];
        long count = java.util.Arrays.stream(toks).filter(tok::equals).count();
        int id = vocab.indexOf(tok);
        float w = 0f;
        for (int i = 0; i < first.vector().size(); i++) {
            if (first.vector().index(i) == id) {
                w = first.vector().value(i);
            }
        }
        assertThat(w).isEqualTo(count * 0.01f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(first.vector().size()).isEqualTo(java.util.Arrays.stream(toks).distinct().count());
    }

    @Test
    void tsvRejectsMalformedLinesWithTheLineNumber() {
        String text = "1\t5 5 7\n2 no tab here\n";
        assertThatThrownBy(() -> AnseriniQueryTsv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "q.tsv", TokenMapper.of(null, 10), 0.01f))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("q.tsv:2");
        String unknown = "1\t5 5 7\n\n3\t4 99\n";
        assertThatThrownBy(() -> AnseriniQueryTsv.read(new ByteArrayInputStream(unknown.getBytes(StandardCharsets.UTF_8)),
                "q.tsv", TokenMapper.of(null, 10), 0.01f))
                .hasMessageContaining("q.tsv:3").hasMessageContaining("'99'");
    }

    @Test
    void csrRoundTripsAndIsMapped(@TempDir Path dir) throws Exception {
        SyntheticCollection c = new SyntheticCollection(50, 1);
        List<SparseVector> vs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            vs.add(c.document(i));
        }
        vs.add(SparseVector.empty());
        Path file = dir.resolve("tiny.csr");
        CsrMatrix.write(file, vs, c.dim());
        try (Arena arena = Arena.ofShared()) {
            CsrMatrix m = CsrMatrix.open(file, arena);
            assertThat(m.rows()).isEqualTo(51);
            assertThat(m.cols()).isEqualTo(c.dim());
            for (int i = 0; i < vs.size(); i++) {
                assertThat(m.row(i)).isEqualTo(vs.get(i));
            }
        }
    }

    @Test
    void csrRejectsBadRowsAndSizes(@TempDir Path dir) throws Exception {
        // Row 1 has a term id outside cols.
        ByteBuffer b = ByteBuffer.allocate(24 + 3 * 8 + 3 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(2).putLong(10).putLong(3).putLong(0).putLong(1).putLong(3);
        b.putInt(4).putInt(2).putInt(12).putFloat(1f).putFloat(0.5f).putFloat(0.25f);
        Path file = dir.resolve("bad.csr");
        Files.write(file, b.array());
        try (Arena arena = Arena.ofShared()) {
            CsrMatrix m = CsrMatrix.open(file, arena);
            assertThat(m.row(0).index(0)).isEqualTo(4);
            assertThatThrownBy(() -> m.row(1)).isInstanceOf(MalformedInputException.class)
                    .hasMessageContaining("bad.csr").hasMessageContaining("row 1");
        }
        Path cut = dir.resolve("cut.csr");
        Files.write(cut, java.util.Arrays.copyOf(b.array(), 40));
        try (Arena arena = Arena.ofShared()) {
            assertThatThrownBy(() -> CsrMatrix.open(cut, arena)).isInstanceOf(MalformedInputException.class)
                    .hasMessageContaining("cut.csr");
        }
    }

    @Test
    void syntheticIsDeterministicAndSpladeLike() {
        SyntheticCollection a = SyntheticCollection.parse("synthetic:1000:5");
        SyntheticCollection b = new SyntheticCollection(1000, 5);
        assertThat(a.size()).isEqualTo(1000);
        double nnz = 0;
        double qnnz = 0;
        for (int i = 0; i < 1000; i++) {
            SparseVector d = a.document(i);
            assertThat(d).isEqualTo(b.document(i));
            nnz += d.size();
            qnnz += a.query(i).size();
            for (int j = 0; j < d.size(); j++) {
                assertThat(d.value(j)).isGreaterThan(0f).isLessThanOrEqualTo(3f);
            }
        }
        assertThat(nnz / 1000).isBetween(110.0, 130.0);
        assertThat(qnnz / 1000).isBetween(35.0, 45.0);
        assertThat(new SyntheticCollection(10, 6).document(0)).isNotEqualTo(a.document(0));
        assertThatThrownBy(() -> SyntheticCollection.parse("synthetic:abc")).hasMessageContaining("synthetic:abc");
    }
}
