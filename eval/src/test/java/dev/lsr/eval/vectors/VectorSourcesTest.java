package dev.lsr.eval.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.seismic.Vocabulary;
import dev.lsr.seismic.io.CsrMatrix;
import dev.lsr.seismic.io.IdVector;
import dev.lsr.seismic.io.SyntheticCollection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorSourcesTest {
    @TempDir
    Path dir;

    static final Vocabulary VOCAB = new Vocabulary(List.of("[PAD]", "apple", "banana", "cherry", "##s"));

    VectorSources.Options opts() {
        return new VectorSources.Options(VOCAB, 0, 0.01f);
    }

    @Test
    void readsJsonVectorCollectionAndVectorJsonl() throws Exception {
        Path f = dir.resolve("docs.jsonl");
        Files.writeString(f, """
                {"id": "d1", "contents": "apples", "vector": {"apple": 1.5, "##s": 0.25}}

                {"id": 7, "vector": {"cherry": 2, "banana": 0.5, "apple": 0}}
                """);
        List<IdVector> vs = VectorSources.load(f.toString(), VectorSources.Role.DOCUMENTS, opts());
        assertThat(vs).hasSize(2);
        assertThat(vs.get(0).id()).isEqualTo("d1");
        assertThat(vs.get(0).vector().indices()).containsExactly(1, 4);
        assertThat(vs.get(0).vector().values()).containsExactly(1.5f, 0.25f);
        assertThat(vs.get(1).id()).isEqualTo("7");
        assertThat(vs.get(1).vector().indices()).containsExactly(2, 3);
    }

    @Test
    void rejectsMalformedJsonLinesWithFileAndLine() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"id\": \"a\", \"vector\": {\"apple\": 1}}\n{\"id\": \"b\", \"vector\": {\"durian\": 1}}\n");
        assertThatThrownBy(() -> VectorSources.load(f.toString(), VectorSources.Role.DOCUMENTS, opts()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("bad.jsonl:2").hasMessageContaining("durian");
        Files.writeString(f, "{\"id\": \"a\", \"vector\": {\"apple\": 1}}\n{\"id\": \"b\", \"vector\": {\"apple\": -1}}\n");
        assertThatThrownBy(() -> VectorSources.load(f.toString(), VectorSources.Role.DOCUMENTS, opts()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("bad.jsonl:2");
        Files.writeString(f, "{\"id\": \"a\", \"vector\": {\"apple\": 1}}\n{\"id\": \"b\", \"vector\": \n");
        assertThatThrownBy(() -> VectorSources.load(f.toString(), VectorSources.Role.DOCUMENTS, opts()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("bad.jsonl:2").hasMessageContaining("JSON");
        Files.writeString(f, "{\"id\": \"a\"}\n");
        assertThatThrownBy(() -> VectorSources.load(f.toString(), VectorSources.Role.DOCUMENTS, opts()))
                .hasMessageContaining("bad.jsonl:1").hasMessageContaining("vector");
    }

    @Test
    void aMissingFileOrADirectoryIsBadInputSaidOnce() {
        String missing = dir.resolve("absent.csr").toString();
        assertThatThrownBy(() -> VectorSources.load(missing, VectorSources.Role.DOCUMENTS, opts()))
                .isInstanceOf(BadInputException.class).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> VectorSources.dim(missing, opts()))
                .isInstanceOf(BadInputException.class).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> VectorSources.load(dir.toString(), VectorSources.Role.QUERIES, opts()))
                .isInstanceOf(BadInputException.class).hasMessage(dir + ": is a directory, not a file of vectors");
        assertThatThrownBy(() -> VectorSources.loadVocabulary(dir.resolve("vocab.txt")))
                .isInstanceOf(BadInputException.class).hasMessage(dir.resolve("vocab.txt") + ": no such file");
        assertThatThrownBy(() -> VectorSources.load("synthetic:x", VectorSources.Role.DOCUMENTS, opts()))
                .isInstanceOf(BadInputException.class).hasMessage("expected synthetic:N[:seed] with integers, got synthetic:x");
    }

    @Test
    void readsTsvWithVocabularyAndCsrAndSynthetic() throws Exception {
        Path tsv = dir.resolve("q.tsv");
        Files.writeString(tsv, "q1\tapple apple banana\nq2\tcherry\n");
        List<IdVector> qs = VectorSources.load(tsv.toString(), VectorSources.Role.QUERIES, opts());
        assertThat(qs.get(0).vector().values()).containsExactly(0.02f, 0.01f);
        Files.writeString(tsv, "q1\tapple\nq2\tmango\n");
        assertThatThrownBy(() -> VectorSources.load(tsv.toString(), VectorSources.Role.QUERIES, opts()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("q.tsv:2");

        Path csr = dir.resolve("v.csr");
        SyntheticCollection c = new SyntheticCollection(5, 2);
        CsrMatrix.write(csr, List.of(c.document(0), c.document(1)), c.dim());
        List<IdVector> rows = VectorSources.load(csr.toString(), VectorSources.Role.DOCUMENTS, VectorSources.Options.defaults());
        assertThat(rows).extracting(IdVector::vector).containsExactly(c.document(0), c.document(1));

        List<IdVector> syn = VectorSources.load("synthetic:3:2", VectorSources.Role.QUERIES, VectorSources.Options.defaults());
        assertThat(syn).extracting(IdVector::vector).containsExactly(c.query(0), c.query(1), c.query(2));
        assertThatThrownBy(() -> VectorSources.load(dir.resolve("missing.jsonl").toString(), VectorSources.Role.DOCUMENTS, opts()))
                .hasMessageContaining("missing.jsonl");
        assertThatThrownBy(() -> VectorSources.load("synthetic:x", VectorSources.Role.DOCUMENTS, opts()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("synthetic:x");
    }

    @Test
    void loadsTheBertVocabularyFromTokenizerJson() {
        Path tok = Path.of(System.getProperty("lsr.shared", "../../shared"), "models/tiny-mlm/tokenizer.json");
        Assumptions.assumeTrue(Files.isRegularFile(tok), "shared tokenizer.json absent: " + tok);
        Vocabulary v = VectorSources.loadVocabulary(tok);
        assertThat(v.size()).isEqualTo(30522);
        assertThat(v.token(0)).isEqualTo("[PAD]");
        assertThat(v.id("the")).hasValue(1996);
    }
}
