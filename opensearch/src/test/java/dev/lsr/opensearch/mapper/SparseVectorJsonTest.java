package dev.lsr.opensearch.mapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;

/** The two JSON forms of a document's vector, read by OpenSearch's own JSON parser. */
class SparseVectorJsonTest {

    // BERT's vocabulary holds "indices" and "values" as tokens too.
    private static final Vocabulary VOCAB = new Vocabulary(List.of("[PAD]", "values", "indices", "cat", "dog", "##s"));

    private static SparseVector parse(String json, Vocabulary vocabulary) throws IOException {
        try (XContentParser p = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY,
                DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            p.nextToken();
            return SparseVectorJson.parse(p, vocabulary == null ? 6 : vocabulary.size(), vocabulary, "field [vec]");
        }
    }

    @Test
    void indicesAndValuesWithOrWithoutAVocabulary() throws IOException {
        SparseVector expected = SparseVector.ofUnsorted(new int[] {4, 3}, new float[] {0.5f, 1.5f}, 6);
        assertThat(parse("{\"indices\": [4, 3], \"values\": [0.5, 1.5]}", null)).isEqualTo(expected);
        assertThat(parse("{\"indices\": [4, 3], \"values\": [0.5, 1.5]}", VOCAB)).isEqualTo(expected);
    }

    @Test
    void tokenWeightsThroughTheVocabulary() throws IOException {
        assertThat(parse("{\"cat\": 1.5, \"##s\": 0.25}", VOCAB))
                .isEqualTo(SparseVector.ofUnsorted(new int[] {3, 5}, new float[] {1.5f, 0.25f}, 6));
        // A number is a token's weight even when the token is spelled like the other form's keys.
        assertThat(parse("{\"values\": 0.5, \"indices\": 2}", VOCAB))
                .isEqualTo(SparseVector.ofUnsorted(new int[] {1, 2}, new float[] {0.5f, 2f}, 6));
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> parse("{\"cat\": 1.5}", null))
                .hasMessageContaining("field [vec]").hasMessageContaining("needs a field mapped with a [vocabulary]");
        assertThatThrownBy(() -> parse("{\"bird\": 1.5}", VOCAB))
                .hasMessage("field [vec]: token [bird] is not in the field's vocabulary");
        assertThatThrownBy(() -> parse("{\"cat\": -1}", VOCAB)).hasMessageContaining("field [vec]");
        assertThatThrownBy(() -> parse("{\"cat\": 1, \"indices\": [3], \"values\": [1]}", VOCAB))
                .hasMessageContaining("mixes");
        assertThatThrownBy(() -> parse("{\"cat\": [1]}", VOCAB)).hasMessageContaining("[cat] must be a number");
        assertThatThrownBy(() -> parse("{\"indices\": [3]}", VOCAB)).hasMessageContaining("needs both [indices] and [values]");
        assertThatThrownBy(() -> parse("{\"indices\": [9], \"values\": [1]}", null)).hasMessageContaining("field [vec]");
    }
}
