package dev.lsr.seismic.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeneratedSpecTest {

    @Test
    void specsParseWithoutGeneratingAndDefaultTheSeed() {
        assertThat(GeneratedSpec.of("synthetic:1_000")).isEqualTo(new GeneratedSpec("synthetic", 1000, SyntheticCollection.DEFAULT_SEED));
        assertThat(GeneratedSpec.of("realistic:5:7")).isEqualTo(new GeneratedSpec("realistic", 5, 7));
        assertThatThrownBy(() -> GeneratedSpec.of("synthetic:x")).hasMessage("expected synthetic:N[:seed] with integers, got synthetic:x");
        assertThatThrownBy(() -> GeneratedSpec.of("realistic:-1")).hasMessage("realistic size must be >= 0 in realistic:-1");
        assertThatThrownBy(() -> GeneratedSpec.of("synthetic:1:2:3")).hasMessage("expected synthetic:N[:seed], got synthetic:1:2:3");
    }

    /**
     * The seed sets a synthetic collection's vocabulary and topics: queries of another seed share
     * no structure with the documents (and realistic ones of another seed may sit inside them).
     */
    @Test
    void queriesBelongWithDocumentsOfTheSameGeneratorAndSeed() {
        assertThatCode(() -> {
            GeneratedSpec.checkQueriesBelong("synthetic:1000", "synthetic:50:42");
            GeneratedSpec.checkQueriesBelong("realistic:1000:3", "realistic:50:3");
            GeneratedSpec.checkQueriesBelong("docs.jsonl", "synthetic:50:9");
            GeneratedSpec.checkQueriesBelong("synthetic:1000:9", "queries.tsv");
        }).doesNotThrowAnyException();
        assertThatThrownBy(() -> GeneratedSpec.checkQueriesBelong("synthetic:1000:7", "synthetic:50:8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("queries synthetic:50:8 do not belong with documents synthetic:1000:7: the seed sets the vocabulary")
                .hasMessageEndingWith("(synthetic:50:7)");
        assertThatThrownBy(() -> GeneratedSpec.checkQueriesBelong("realistic:1000", "realistic:50:1"))
                .hasMessageContaining("which real vectors are held out as queries").hasMessageEndingWith("(realistic:50:42)");
        assertThatThrownBy(() -> GeneratedSpec.checkQueriesBelong("synthetic:1000", "realistic:50"))
                .hasMessage("queries realistic:50 do not belong with documents synthetic:1000: the realistic and synthetic generators number terms differently");
    }

    @Test
    void collectionsParseAsBefore() {
        SyntheticCollection c = SyntheticCollection.parse("synthetic:10:5");
        assertThat(c.size()).isEqualTo(10);
        assertThat(c.document(3)).isEqualTo(new SyntheticCollection(10, 5).document(3));
        assertThatThrownBy(() -> SyntheticCollection.parse("realistic:10")).hasMessage("not a synthetic source (expected synthetic:N[:seed]): realistic:10");
    }
}
