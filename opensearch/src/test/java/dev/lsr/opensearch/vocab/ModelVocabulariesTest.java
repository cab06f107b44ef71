package dev.lsr.opensearch.vocab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lsr.seismic.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories under a node's {@code <config>/lsr-models/}. */
class ModelVocabulariesTest {

    private static final Path TINY = Path.of(System.getProperty("lsr.shared", "../../shared"))
            .resolve("models/tiny-mlm/tokenizer.json");

    @Test
    void readsVocabTxtAndCachesIt(@TempDir Path config) throws Exception {
        Path dir = Files.createDirectories(config.resolve("lsr-models").resolve("mini"));
        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\ncat\ndog\n");
        ModelVocabularies vocabularies = new ModelVocabularies(config);
        Vocabulary v = vocabularies.get("mini");
        assertThat(v.size()).isEqualTo(3);
        assertThat(v.id("dog")).hasValue(2);
        assertThat(vocabularies.get("mini")).isSameAs(v);
    }

    @Test
    void readsTheModelVocabOfATokenizerJson(@TempDir Path config) throws Exception {
        Path tokenizer = TINY;
        if (!Files.isRegularFile(tokenizer)) {
            System.out.println("SKIPPED: " + TINY + " is absent (../shared not mounted)");
        }
        assumeTrue(Files.isRegularFile(tokenizer), "../shared/models/tiny-mlm/tokenizer.json is absent");
        Path dir = Files.createDirectories(config.resolve("lsr-models").resolve("bert-base-uncased"));
        Files.copy(tokenizer, dir.resolve("tokenizer.json"));
        Vocabulary v = new ModelVocabularies(config).get("bert-base-uncased");
        assertThat(v.size()).isEqualTo(30522);
        assertThat(v.id("[CLS]")).hasValue(101);
        assertThat(v.token(2054)).isEqualTo("what");
    }

    @Test
    void refusesNamesThatAreNotPlainDirectoryNamesAndSaysWhereItLooked(@TempDir Path config) throws Exception {
        ModelVocabularies vocabularies = new ModelVocabularies(config);
        assertThatThrownBy(() -> vocabularies.get("../etc")).hasMessageContaining("must be the name of a directory");
        assertThatThrownBy(() -> vocabularies.get("a/b")).hasMessageContaining("must be the name of a directory");
        assertThatThrownBy(() -> vocabularies.get("missing"))
                .hasMessageContaining(config.resolve("lsr-models").resolve("missing").toString())
                .hasMessageContaining("neither vocab.txt nor tokenizer.json");
        Path bad = Files.createDirectories(config.resolve("lsr-models").resolve("bad"));
        Files.writeString(bad.resolve("tokenizer.json"), "{\"model\": {\"vocab\": {\"a\": 0, \"b\": 5}}}");
        assertThatThrownBy(() -> vocabularies.get("bad")).hasMessageContaining("not a dense id");
    }
}
