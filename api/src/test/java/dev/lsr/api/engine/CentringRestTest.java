package dev.lsr.api.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A collection created over REST with the default model gets centred vectors: the service's default
 * model here is the tiny model with the default BERT model's zero-shot recommendations (corpus
 * centring at the 90th percentile), and the collection fits its offsets on its first 12 documents.
 * The stored vectors must be exactly those of fitting the offsets by hand.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CentringRestTest {

    static final Path TINY = Path.of(System.getProperty("lsr.shared", "../../shared")).resolve("models/tiny-mlm/model.onnx");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Path data;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        data = Files.createDirectories(Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "lsr-centring-test").resolve("data"));
        boolean tiny = Files.isRegularFile(TINY);
        if (tiny) {
            ConsistencyTest.zeroShotTinyModel(data.resolve("models/tiny-zero-shot"));
        }
        registry.add("lsr.data-dir", data::toString);
        registry.add("lsr.default-model", () -> tiny ? "tiny-zero-shot" : "none");
        registry.add("lsr.encoder-threads", () -> "1");
        registry.add("lsr.centring-fit-docs", () -> "12");
    }

    static final List<String> TEXTS = List.of(
            "Learned sparse retrieval expands documents with related terms.", "Dense retrieval embeds text into vectors.",
            "Lucene keeps inverted lists in segments.", "The cat sat on the mat.", "Proteins fold into three dimensional structures.",
            "Vaccines train the immune system.", "Inverted indexes map terms to documents.", "Sparse vectors have few non-zero weights.",
            "The stock market fell sharply on Monday.", "Rain is expected over the weekend.", "Retrieval models weigh terms by importance.",
            "Segments are merged in the background.", "A query names what the user wants.", "Documents carry titles and metadata.");

    @Test
    void aCollectionWithTheDefaultModelIsCentredOnItsOwnDocuments() throws Exception {
        if (!Files.isRegularFile(TINY)) {
            System.out.println("SKIPPED: " + TINY + " is absent (../shared not mounted)");
        }
        Assumptions.assumeTrue(Files.isRegularFile(TINY), "needs " + TINY);
        assertThat(send("PUT", "/collections/zs", null).statusCode()).isEqualTo(201);
        JsonNode centring = json(send("GET", "/collections/zs/stats", null)).get("centring");
        assertThat(centring.get("status").stringValue()).isEqualTo("pending");
        assertThat(centring.get("percentile").doubleValue()).isEqualTo(90.0);

        add(0, 8);
        centring = json(send("GET", "/collections/zs/stats", null)).get("centring");
        assertThat(centring.get("status").stringValue()).isEqualTo("pending");
        assertThat(centring.get("documents").intValue()).isEqualTo(8);
        add(8, TEXTS.size());
        centring = json(send("GET", "/collections/zs/stats", null)).get("centring");
        assertThat(centring.get("status").stringValue()).isEqualTo("fitted");
        assertThat(centring.get("documents").intValue()).isEqualTo(TEXTS.size());

        // By hand: the max logits of the same two batches (the tiny model's logits change with padding),
        // offsets at the 90th percentile, each document centred and pruned.
        Path dir = data.resolve("models/tiny-zero-shot");
        try (SparseEncoder own = SparseEncoder.open(dir, EncoderOptions.defaults(ModelDirectory.open(dir)).withThreads(1))) {
            List<float[]> rows = new ArrayList<>(List.of(own.maxLogits(TEXTS.subList(0, 8))));
            rows.addAll(List.of(own.maxLogits(TEXTS.subList(8, TEXTS.size()))));
            float[] offsets = SparseEncoder.centringOffsets(rows.toArray(float[][]::new), 90.0);
            SparseEncoder centred = own.withOptions(own.options().withTermOffsets(offsets));
            for (int i : new int[] {0, 7, 8, 13}) {
                SparseVector expected = centred.postprocess(rows.get(i));
                assertThat(expected.size()).isPositive();
                JsonNode vector = json(send("GET", "/collections/zs/documents/d" + i, null)).get("vector");
                Map<String, Float> got = new HashMap<>();
                vector.properties().forEach(e -> got.put(e.getKey(), e.getValue().floatValue()));
                Map<String, Float> want = new HashMap<>();
                for (int j = 0; j < expected.size(); j++) {
                    want.put(own.vocabulary().token(expected.index(j)), expected.value(j));
                }
                assertThat(got).as("document d%d", i).isEqualTo(want);
            }
        }
        JsonNode r = json(send("POST", "/collections/zs/search", "{\"query\": \"sparse retrieval\"}"));
        assertThat(r.get("mode").stringValue()).isEqualTo("hybrid");
        assertThat(r.get("hits").size()).isPositive();
    }

    private void add(int from, int to) throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            sb.append(i == from ? "" : ",").append("{\"id\": \"d").append(i).append("\", \"text\": ")
                    .append(JSON.writeValueAsString(TEXTS.get(i))).append('}');
        }
        HttpResponse<String> r = send("POST", "/collections/zs/documents?refresh=true", sb.append(']').toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("indexed").intValue()).isEqualTo(to - from);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }
}
