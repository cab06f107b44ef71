package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirLoaderTest {

    @TempDir
    Path dir;

    private void write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void valid() throws IOException {
        write("corpus.jsonl", """
                {"_id": "d1", "title": "Alpha", "text": "first doc"}
                {"_id": "d2", "text": "second doc"}
                """);
        write("queries.jsonl", """
                {"_id": "q1", "text": "alpha"}
                {"_id": "q2", "text": "unjudged"}
                """);
        write("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\n");
    }

    @Test
    void loadsTheLayoutAndKeepsOnlyJudgedQueries() throws IOException {
        valid();
        BeirDataset ds = new BeirLoader(false).load(dir, "test");
        assertThat(ds.corpus()).hasSize(2);
        assertThat(ds.corpus().get(0).fullText()).isEqualTo("Alpha first doc");
        assertThat(ds.queries()).containsOnlyKeys("q1");
        assertThat(ds.qrels().get("q1")).containsEntry("d1", 1).containsEntry("d2", 0);
        assertThat(ds.corpusChecksum()).hasSize(64);
    }

    @Test
    void prefersQueriesOfTheSplit() throws IOException {
        valid();
        write("queries.test.jsonl", "{\"_id\": \"q1\", \"text\": \"split specific\"}\n");
        assertThat(new BeirLoader(false).load(dir, "test").queries().get("q1")).isEqualTo("split specific");
    }

    @Test
    void malformedLinesAreReportedWithTheirLineNumbers() throws IOException {
        valid();
        write("corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"x\"}\n{\"_id\": \"d2\", \"text\": \n");
        assertThatThrownBy(() -> new BeirLoader(false).load(dir, "test"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("corpus.jsonl line 2");
        valid();
        write("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\tyes\n");
        assertThatThrownBy(() -> new BeirLoader(false).load(dir, "test"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("test.tsv line 2");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        valid();
        assertThatThrownBy(() -> new BeirLoader(false).load(dir, "dev"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("dev.tsv");
        Files.delete(dir.resolve("corpus.jsonl"));
        assertThatThrownBy(() -> new BeirLoader(false).load(dir, "test"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("corpus.jsonl");
    }

    @Test
    void unknownDocumentsInQrelsAreAnErrorUnlessLenient() throws IOException {
        valid();
        write("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\tghost\t1\n");
        assertThatThrownBy(() -> new BeirLoader(false).load(dir, "test"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("ghost");
        BeirDataset ds = new BeirLoader(true).load(dir, "test");
        assertThat(ds.warnings()).singleElement().asString().contains("1 judgement(s)");
        assertThat(ds.qrels().get("q1")).containsKey("ghost");
    }
}
