package dev.lsr.opensearch.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;

/** The query's JSON and wire forms, {@code vector}, {@code tokens} and {@code text} alike. */
class LsrSparseQueryBuilderTest {

    private static LsrSparseQueryBuilder parse(String body) throws IOException {
        try (XContentParser p = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY,
                DeprecationHandler.THROW_UNSUPPORTED_OPERATION, body)) {
            p.nextToken();
            return LsrSparseQueryBuilder.fromXContent(p);
        }
    }

    private static String json(LsrSparseQueryBuilder q) throws IOException {
        XContentBuilder b = JsonXContent.contentBuilder();
        q.toXContent(b, ToXContent.EMPTY_PARAMS);
        return b.toString();
    }

    private static LsrSparseQueryBuilder wire(LsrSparseQueryBuilder q) throws IOException {
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            q.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                return new LsrSparseQueryBuilder(in);
            }
        }
    }

    @Test
    void tokensRoundTripThroughJsonAndTheWire() throws IOException {
        LsrSparseQueryBuilder q = parse("{\"field\": \"vec\", \"tokens\": {\"cat\": 1.5, \"values\": 0.5}, \"k\": 7}");
        Map<String, Float> tokens = new LinkedHashMap<>();
        tokens.put("cat", 1.5f);
        tokens.put("values", 0.5f);
        assertThat(q).isEqualTo(LsrSparseQueryBuilder.ofTokens("vec", tokens, 7, null, null, false, null));
        assertThat(json(q)).contains("\"tokens\":{\"cat\":1.5,\"values\":0.5}").doesNotContain("vector");
        String inner = json(q).replaceFirst("^\\{\"lsr_sparse\":", "").replaceFirst("}$", "");
        assertThat(parse(inner)).isEqualTo(q);
        assertThat(wire(q)).isEqualTo(q);
        assertThat(q).isNotEqualTo(LsrSparseQueryBuilder.ofTokens("vec", Map.of("cat", 1.5f), 7, null, null, false, null));
    }

    @Test
    void vectorRoundTripsThroughTheWire() throws IOException {
        LsrSparseQueryBuilder q = parse("{\"field\": \"vec\", \"vector\": {\"indices\": [3, 1], \"values\": [1, 2]},"
                + " \"k\": 5, \"query_cut\": 4, \"heap_factor\": 0.8}");
        assertThat(wire(q)).isEqualTo(q);
        assertThat(q).isEqualTo(new LsrSparseQueryBuilder("vec", new int[] {1, 3}, new float[] {2, 1}, 5, 4, 0.8f, false, null));
    }

    @Test
    void textRoundTripsThroughJsonAndTheWire() throws IOException {
        LsrSparseQueryBuilder q = parse("{\"field\": \"vec\", \"text\": \"what is a protein fold\", \"k\": 3, \"exact\": true}");
        assertThat(q).isEqualTo(LsrSparseQueryBuilder.ofText("vec", "what is a protein fold", 3, null, null, true, null));
        assertThat(json(q)).contains("\"text\":\"what is a protein fold\"").doesNotContain("vector").doesNotContain("tokens");
        String inner = json(q).replaceFirst("^\\{\"lsr_sparse\":", "").replaceFirst("}$", "");
        assertThat(parse(inner)).isEqualTo(q);
        assertThat(wire(q)).isEqualTo(q);
        assertThat(q).isNotEqualTo(LsrSparseQueryBuilder.ofText("vec", "what is a protein", 3, null, null, true, null));
        assertThatThrownBy(() -> parse("{\"field\": \"vec\", \"k\": 5, \"text\": \"  \"}"))
                .hasMessageContaining("[text] is blank");
        assertThatThrownBy(() -> parse("{\"field\": \"vec\", \"k\": 5, \"text\": [\"a\"]}"))
                .hasMessageContaining("[text] must be a string");
    }

    @Test
    void exactlyOneOfVectorTokensAndText() {
        assertThatThrownBy(() -> parse("{\"field\": \"vec\", \"k\": 5}"))
                .hasMessageContaining("needs [field], exactly one of [vector], [tokens] and [text], and [k]");
        assertThatThrownBy(() -> parse("{\"field\": \"vec\", \"k\": 5, \"tokens\": {\"a\": 1},"
                + " \"vector\": {\"indices\": [1], \"values\": [1]}}"))
                .hasMessageContaining("exactly one of [vector], [tokens] and [text]");
        assertThatThrownBy(() -> parse("{\"field\": \"vec\", \"k\": 5, \"tokens\": {\"a\": 1}, \"text\": \"a\"}"))
                .hasMessageContaining("exactly one of [vector], [tokens] and [text]");
        assertThatThrownBy(() -> parse("{\"field\": \"vec\", \"k\": 5, \"tokens\": {\"a\": [1]}}"))
                .hasMessageContaining("[tokens] [a] must be a number");
        assertThatThrownBy(() -> parse("{\"field\": \"vec\", \"k\": 5, \"tokens\": {}}"))
                .hasMessageContaining("[tokens] is empty");
    }
}
