package dev.lsr.eval.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.engine.CentringInfo;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import dev.lsr.engine.EngineOptions;
import dev.lsr.engine.NewCollection;
import dev.lsr.engine.Query;
import dev.lsr.engine.QueryEncoder;
import dev.lsr.engine.SearchResult;
import dev.lsr.eval.cli.Main;
import dev.lsr.index.Collection;
import dev.lsr.index.Document;
import dev.lsr.index.SearchMode;
import dev.lsr.index.SearchRequest;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.seismic.SparseVector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class IndexCommandTest {

    @TempDir
    Path tmp;

    private static String line(String id, SplittableRandom rnd) {
        int[] ids = rnd.ints(0, 300).distinct().limit(8).sorted().toArray();
        StringBuilder is = new StringBuilder();
        StringBuilder vs = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            is.append(i == 0 ? "" : ",").append(ids[i]);
            vs.append(i == 0 ? "" : ",").append(0.1 + rnd.nextDouble());
        }
        return "{\"id\": \"" + id + "\", \"contents\": \"text " + id + "\", \"metadata\": {\"n\": 1},"
                + " \"vector\": {\"indices\": [" + is + "], \"values\": [" + vs + "]}}";
    }

    @Test
    void indexesJsonlAndReports() throws Exception {
        SplittableRandom rnd = new SplittableRandom(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add(line("d" + i, rnd));
        }
        Path input = tmp.resolve("docs.jsonl");
        Files.write(input, lines);
        Path queries = tmp.resolve("q.jsonl");
        Files.write(queries, lines.subList(0, 20));
        Path report = tmp.resolve("r.json");
        Path dir = tmp.resolve("c");
        int rc = Main.run("index", "--collection", dir.toString(), "--input", input.toString(), "--dim", "300",
                "--batch", "64", "--no-merges", "--max-buffered-docs", "100", "--refresh-every", "200",
                "--queries", queries.toString(), "--warmup-ms", "0", "--json", report.toString());
        assertThat(rc).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(r.get("docs").asLong()).isEqualTo(500);
        assertThat(r.get("seconds").asDouble()).isPositive();
        assertThat(r.get("docs_per_s").asDouble()).isPositive();
        assertThat(r.path("search").path("many_segments").path("segments").asInt()).isGreaterThan(1);
        assertThat(r.path("search").path("merged").path("segments").asInt()).isEqualTo(1);
        // 500 documents stay under the default exact-segment size: both states search exactly.
        assertThat(r.path("search").path("merged").path("seismic_segments").asInt()).isZero();
        assertThat(r.path("search").path("many_segments").path("recall@10").asDouble()).isEqualTo(1.0);
        assertThat(r.path("search").path("merged").path("recall@10").asDouble()).isEqualTo(1.0);
        try (Collection c = Collection.open(dir)) {
            assertThat(c.stats().docs()).isEqualTo(500);
            SparseVector q = c.get("d7").orElseThrow().vector();
            assertThat(c.search(SearchRequest.exact(q, 1)).hits().get(0).id()).isEqualTo("d7");
        }
    }

    @Test
    void indexesSyntheticWithSeismicSegments() throws Exception {
        Path report = tmp.resolve("r.json");
        int rc = Main.run("index", "--collection", tmp.resolve("s").toString(), "--input", "synthetic:600:3",
                "--exact-segment-max-docs", "0", "--max-buffered-docs", "200", "--no-merges",
                "--queries", "synthetic:20:3", "--warmup-ms", "0", "--json", report.toString());
        assertThat(rc).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(r.get("docs").asLong()).isEqualTo(600);
        JsonNode many = r.path("search").path("many_segments");
        assertThat(many.path("segments").asInt()).isEqualTo(3);
        assertThat(many.path("seismic_segments").asInt()).isEqualTo(3);
        assertThat(many.path("latency_us_ids_only").path("p50").asDouble()).isPositive();
        assertThat(r.path("search").path("merged").path("seismic_segments").asInt()).isEqualTo(1);
        // Seismic segments at the collection defaults (0.935 and 0.85 printed on 2026-12-06): approximate, not broken.
        assertThat(many.path("recall@10").asDouble()).isGreaterThanOrEqualTo(0.85).isLessThan(1.0);
        assertThat(r.path("search").path("merged").path("recall@10").asDouble()).isGreaterThanOrEqualTo(0.75);
        assertThat(many.path("short_results").asInt()).isZero();
        assertThat(Main.run("index", "--collection", tmp.resolve("t").toString(), "--input", "synthetic:x")).isEqualTo(2);
    }

    @Test
    void filtersSettingsAndSearchThreads() throws Exception {
        Path report = tmp.resolve("f.json");
        int rc = Main.run("index", "--collection", tmp.resolve("f").toString(), "--input", "synthetic:600:3",
                "--settings", "{\"exact_segment_max_docs\": 0, \"writer\": {\"max_buffered_docs\": 200, \"merges\": false}}",
                "--search-threads", "2", "--queries", "synthetic:20:3", "--filters", "--warmup-ms", "0", "--json", report.toString());
        assertThat(rc).isZero();
        JsonNode search = JsonMapper.builder().build().readTree(report.toFile()).path("search");
        assertThat(search.path("warmup_ms").asLong()).isZero();
        assertThat(search.path("many_segments").path("seismic_segments").asInt()).isEqualTo(3);
        assertThat(search.path("force_merge_peak_heap_bytes").asLong()).isPositive();
        for (String s : new String[] {"0.001", "0.01", "0.05", "0.2", "0.5", "1.0"}) {
            assertThat(search.path("filtered").path(s).path("short_results").asInt()).as(s).isZero();
        }
        // Few enough pass per 200-document segment that every one of these is exact.
        for (String s : new String[] {"0.05", "0.2", "0.5", "1.0"}) {
            assertThat(search.path("filtered").path(s).path("recall@10").asDouble()).as(s).isEqualTo(1.0);
        }
        assertThat(Main.run("index", "--collection", tmp.resolve("g").toString(), "--input", "synthetic:10",
                "--settings", "{\"bogus\": 1}")).isEqualTo(2);
        assertThat(Main.run("index", "--collection", tmp.resolve("h").toString(), "--input", "synthetic:10",
                "--search-threads", "-1")).isEqualTo(2);
        assertThat(Main.run("index", "--collection", tmp.resolve("i").toString(), "--input", "synthetic:10",
                "--queries", "synthetic:5", "--warmup-ms", "-1")).isEqualTo(2);
    }

    @Test
    void encodesBeirCorpusWithTheTinyModel() throws Exception {
        Path model = tinyModel();
        Path corpus = tmp.resolve("corpus.jsonl");
        Files.write(corpus, List.of(
                "{\"_id\": \"a\", \"title\": \"Sparse\", \"text\": \"learned sparse retrieval with inverted lists\"}",
                "{\"_id\": \"b\", \"title\": \"\", \"text\": \"dense vectors and nearest neighbours\"}",
                "{\"_id\": \"c\", \"title\": \"Lucene\", \"text\": \"segments, merges and commits\"}",
                "{\"_id\": \"d\", \"title\": \"Long\", \"text\": \"" + "protein folding ".repeat(400) + "\"}"));
        Path report = tmp.resolve("r.json");
        Path dir = tmp.resolve("beir");
        int rc = Main.run("index", "--collection", dir.toString(), "--model", model.toString(), "--input", corpus.toString(),
                "--json", report.toString());
        assertThat(rc).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(r.get("docs").asLong()).isEqualTo(4);
        assertThat(r.get("docs_encoded").asLong()).isEqualTo(4);
        assertThat(r.get("encode_docs_per_s").asDouble()).isPositive();
        // 800 words are cut at the model's max tokens and named; the long text runs alone (a batch
        // holds at most 1,024 slots, EncoderOptions.batchTokens), so the three short ones are padded
        // only up to the longest of them, not to its 512 tokens (that was 0.7 of the slots run).
        assertThat(r.get("docs_truncated").asLong()).isEqualTo(1);
        assertThat(r.get("truncated_doc_ids").get(0).asString()).isEqualTo("d");
        assertThat(r.get("encode_max_tokens").asInt()).isEqualTo(512);
        assertThat(r.get("encode_padding_fraction").asDouble()).isGreaterThanOrEqualTo(0.0).isLessThan(0.05);
        try (Collection c = Collection.open(dir)) {
            assertThat(c.settings().model()).isEqualTo(model.toString());
            assertThat(c.get("a").orElseThrow().vector().size()).isPositive();
            assertThat(c.search(SearchRequest.bm25("lucene merges", 1)).hits().get(0).id()).isEqualTo("c");
        }
    }

    /**
     * --model for text takes what lsr encode takes: an ONNX export is imported under --data, then
     * known there by name on the next run (it used to be refused unless it was a model directory).
     */
    @Test
    void textInputTakesAnOnnxExportOrAModelNameAsLsrEncodeDoes() throws Exception {
        Path shared = Path.of(System.getProperty("lsr.shared", "../shared"));
        Path onnx = shared.resolve("models/tiny-mlm/model.onnx");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(onnx), "skipped: " + onnx + " is absent (needs ../shared)");
        Path corpus = tmp.resolve("corpus.jsonl");
        Files.write(corpus, List.of("{\"_id\": \"a\", \"text\": \"learned sparse retrieval\"}",
                "{\"_id\": \"b\", \"text\": \"segments, merges and commits\"}"));
        Path data = tmp.resolve("data");
        assertThat(Main.run("index", "--collection", tmp.resolve("one").toString(), "--model", onnx.toString(),
                "--data", data.toString(), "--input", corpus.toString(), "--quiet")).isZero();
        assertThat(data.resolve("models/tiny-mlm/model.json")).isRegularFile();
        assertThat(Main.run("index", "--collection", tmp.resolve("two").toString(), "--model", "tiny-mlm",
                "--data", data.toString(), "--input", corpus.toString(), "--quiet")).isZero();
        assertThat(Main.run("index", "--collection", tmp.resolve("three").toString(), "--model", "no-such-model",
                "--data", data.toString(), "--input", corpus.toString(), "--quiet")).isEqualTo(2);
        try (Collection one = Collection.open(tmp.resolve("one")); Collection two = Collection.open(tmp.resolve("two"))) {
            assertThat(one.settings().model()).isEqualTo(two.settings().model())
                    .isEqualTo(data.resolve("models/tiny-mlm").toAbsolutePath().normalize().toString());
            assertThat(two.get("a").orElseThrow().vector()).isEqualTo(one.get("a").orElseThrow().vector());
        }
    }

    /**
     * Windows of three through the pipeline (window i+1 tokenised while window i runs): each stored
     * vector is the one the encoder gives its window's texts, and every window's counts add up.
     */
    @Test
    void encodesWindowsThroughThePipelineAsTheEncoderDoes() throws Exception {
        Path model = tinyModel();
        List<String> lines = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        String[] words = {"sparse", "retrieval", "lucene", "segments", "protein", "folding", "merges", "vectors"};
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 8; i++) {
            StringBuilder sb = new StringBuilder();
            int n = i == 6 ? 700 : 2 + r.nextInt(30);
            for (int k = 0; k < n; k++) {
                sb.append(k == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            texts.add(sb.toString());
            lines.add("{\"_id\": \"d" + i + "\", \"text\": \"" + sb + "\"}");
        }
        Path corpus = tmp.resolve("corpus.jsonl");
        Files.write(corpus, lines);
        Path report = tmp.resolve("w.json");
        Path dir = tmp.resolve("windows");
        assertThat(Main.run("index", "--collection", dir.toString(), "--model", model.toString(), "--input", corpus.toString(),
                "--batch", "3", "--json", report.toString())).isZero();
        JsonNode rep = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(rep.get("docs_encoded").asLong()).isEqualTo(8);
        assertThat(rep.get("docs_truncated").asLong()).isEqualTo(1);
        assertThat(rep.get("truncated_doc_ids").get(0).asString()).isEqualTo("d6");
        try (dev.lsr.encoder.SparseEncoder enc = dev.lsr.encoder.SparseEncoder.open(model,
                dev.lsr.encoder.EncoderOptions.defaults(dev.lsr.encoder.model.ModelDirectory.open(model)));
                Collection c = Collection.open(dir)) {
            for (int from = 0; from < texts.size(); from += 3) {
                List<dev.lsr.encoder.EncodedText> expected = enc.encodeDocuments(texts.subList(from, Math.min(texts.size(), from + 3)));
                for (int j = 0; j < expected.size(); j++) {
                    SparseVector want = expected.get(j).vector();
                    SparseVector got = c.get("d" + (from + j)).orElseThrow().vector();
                    assertThat(got.indices()).as("d%d", from + j).containsExactly(want.indices());
                    for (int k = 0; k < want.size(); k++) {
                        assertThat((double) got.values()[k]).isCloseTo(want.values()[k], org.assertj.core.api.Assertions.within(1e-3 * (1 + want.values()[k])));
                    }
                }
            }
        }
    }

    private static final List<String> TEXTS = List.of(
            "Learned sparse retrieval expands documents with related terms.",
            "Dense retrieval embeds text into vectors.",
            "Lucene keeps inverted lists in segments.",
            "The cat sat on the mat.",
            "Proteins fold into three dimensional structures.",
            "Vaccines train the immune system.",
            "Inverted indexes map terms to documents.",
            "Sparse vectors have few non-zero weights.",
            "The stock market fell sharply on Monday.",
            "Rain is expected over the weekend.",
            "Retrieval models weigh terms by importance.",
            "Segments are merged in the background.",
            "A query names what the user wants.",
            "Documents carry titles and metadata.");

    /**
     * The same text corpus through {@code lsr index} and through the {@link Engine} library, in the
     * same windows of 4 with a fit size of 8: the same collection. Both record the model, fit
     * centring on their own first 8 documents (the model recommends it, as the default zero-shot
     * model does) and re-encode them; every stored vector is identical, and so is every ranking,
     * in the recommended search (hybrid, inference-free queries) and in exact sparse search.
     * (Before `lsr index` went through the engine, its collection had no centring and other vectors.)
     */
    @Test
    void textThroughLsrIndexIsTheCollectionTheEngineBuilds() throws Exception {
        Path model = zeroShotTinyModel();
        List<String> lines = new ArrayList<>();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            String title = i % 3 == 0 ? "Note " + i : "";
            lines.add("{\"_id\": \"d" + i + "\", \"title\": \"" + title + "\", \"text\": \"" + TEXTS.get(i) + "\"}");
            docs.add(new Document("d" + i, title, TEXTS.get(i), Map.of(), null));
        }
        Path corpus = tmp.resolve("corpus.jsonl");
        Files.write(corpus, lines);
        Path report = tmp.resolve("text.json");
        assertThat(Main.run("index", "--collection", tmp.resolve("cli/notes").toString(), "--model", model.toString(),
                "--input", corpus.toString(), "--batch", "4", "--centring-fit-docs", "8", "--quiet", "--json", report.toString())).isZero();

        EngineOptions options = EngineOptions.defaults().withDefaultModel(null).withCentringFitDocs(8);
        try (Engine library = Engine.open(tmp.resolve("lib"), options); Engine cli = Engine.open(tmp.resolve("cli"), options)) {
            EngineCollection expected = library.create("notes", NewCollection.model(model.toString())
                    .withSettings(CollectionSettings.defaults().withRefreshIntervalMs(0)));
            for (int from = 0; from < docs.size(); from += 4) {
                assertThat(expected.add(docs.subList(from, Math.min(docs.size(), from + 4))).failed()).isZero();
            }
            expected.refresh();
            EngineCollection got = cli.collection("notes");
            assertThat(got.model()).isEqualTo(expected.model()).isEqualTo(model.toString());
            assertThat(expected.centring()).isEqualTo(new CentringInfo("fitted", 90.0, 8));
            assertThat(got.centring()).isEqualTo(expected.centring());
            assertThat(got.termOffsets()).containsExactly(expected.termOffsets());
            assertThat(got.stats().docs()).isEqualTo(TEXTS.size());
            int nonEmpty = 0;
            for (Document d : docs) {
                SparseVector want = expected.get(d.id()).orElseThrow().vector();
                nonEmpty += want.size() > 0 ? 1 : 0;
                assertThat(got.get(d.id()).orElseThrow().vector()).as(d.id()).isEqualTo(want);
            }
            assertThat(nonEmpty).as("documents with terms left after centring").isGreaterThanOrEqualTo(4);
            Map<SearchMode, Integer> hits = new java.util.EnumMap<>(SearchMode.class);
            for (String q : List.of("sparse retrieval", "inverted lists in segments", "immune system", "rain weekend", "documents terms",
                    "vectors weights", "proteins structures")) {
                for (Query query : List.of(Query.text(q), Query.text(q).withMode(SearchMode.EXACT).withQueryEncoder(QueryEncoder.FULL))) {
                    SearchResult a = expected.search(query.withK(5));
                    SearchResult b = got.search(query.withK(5));
                    assertThat(b.mode()).isEqualTo(a.mode());
                    hits.merge(a.mode(), a.hits().size(), Integer::sum);
                    assertThat(b.hits()).extracting(SearchResult.Hit::id).as(q)
                            .containsExactlyElementsOf(a.hits().stream().map(SearchResult.Hit::id).toList());
                    assertThat(b.hits()).extracting(SearchResult.Hit::score).as(q)
                            .containsExactlyElementsOf(a.hits().stream().map(SearchResult.Hit::score).toList());
                }
            }
            // Rankings with something in them: hybrid (the recommended mode) and exact sparse search both found documents.
            assertThat(hits).containsOnlyKeys(SearchMode.HYBRID, SearchMode.EXACT);
            assertThat(hits.values()).as(hits.toString()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5));
        }
        JsonNode r = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(r.get("docs").asLong()).isEqualTo(TEXTS.size());
        assertThat(r.get("docs_encoded").asLong()).isEqualTo(TEXTS.size());
        assertThat(r.path("centring").path("status").asString()).isEqualTo("fitted");
        assertThat(r.path("centring").path("documents").asInt()).isEqualTo(8);
        // The directory is the engine's collection of that name: it must be a valid one.
        assertThat(Main.run("index", "--collection", tmp.resolve("cli/Not.A.Name").toString(), "--model", model.toString(),
                "--input", corpus.toString(), "--quiet")).isEqualTo(2);
    }

    /**
     * Pre-encoded token-keyed vectors with --model (a model directory, or only its tokenizer.json)
     * keep the fast path straight into the index: the tokens are mapped, nothing is encoded and no
     * centring is set up, whatever the directory is called.
     */
    @Test
    void preEncodedTokenVectorsWithAModelSkipTheEngine() throws Exception {
        Path model = zeroShotTinyModel();
        JsonNode vocab = JsonMapper.builder().build().readTree(model.resolve("tokenizer.json").toFile()).path("model").path("vocab");
        List<String> tokens = new ArrayList<>();
        for (var e : vocab.properties()) {
            if (e.getKey().matches("[a-z]{4,}") && tokens.size() < 40) {
                tokens.add(e.getKey());
            }
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add("{\"id\": \"p" + i + "\", \"contents\": \"doc " + i + "\", \"vector\": {\"" + tokens.get(i) + "\": 1.5, \""
                    + tokens.get(i + 20) + "\": 0.5}}");
        }
        Path input = tmp.resolve("pre.jsonl");
        Files.write(input, lines);
        for (String m : List.of(model.toString(), model.resolve("tokenizer.json").toString())) {
            Path dir = tmp.resolve("Pre.Encoded-" + (m.endsWith(".json") ? "tok" : "dir"));
            Path report = tmp.resolve(dir.getFileName() + ".json");
            assertThat(Main.run("index", "--collection", dir.toString(), "--model", m, "--input", input.toString(), "--quiet",
                    "--json", report.toString())).as(m).isZero();
            JsonNode r = JsonMapper.builder().build().readTree(report.toFile());
            assertThat(r.get("docs").asLong()).isEqualTo(20);
            assertThat(r.has("docs_encoded")).isFalse();
            assertThat(r.has("centring")).isFalse();
            assertThat(Files.exists(dir.resolve("centring.json"))).isFalse();
            try (Collection c = Collection.open(dir)) {
                assertThat(c.get("p3").orElseThrow().vector().size()).isEqualTo(2);
            }
        }
    }

    /** A collection another process (here another instance) holds: exit 2, saying where documents go instead. */
    @Test
    void aCollectionHeldElsewhereIsExitTwoPointingAtTheService() throws Exception {
        Path dir = tmp.resolve("held");
        assertThat(Main.run("index", "--collection", dir.toString(), "--input", "synthetic:50", "--quiet")).isZero();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int rc;
        try (Collection held = Collection.open(dir)) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = Main.run("index", "--collection", dir.toString(), "--input", "synthetic:50", "--quiet");
        } finally {
            System.setErr(old);
        }
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("write.lock")
                .contains("a running 'lsr serve' holds its collections: add documents with POST /collections/{name}/documents there");
    }

    @Test
    void badInputExitsTwoNamingFileAndLine() throws Exception {
        Path input = tmp.resolve("bad.jsonl");
        Files.write(input, List.of(line("ok", new SplittableRandom(2)),
                "{\"id\": \"bad\", \"vector\": {\"indices\": [1, 2], \"values\": [1.0, -3.0]}}"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = Main.run("index", "--collection", tmp.resolve("c").toString(), "--input", input.toString(), "--dim", "300");
        } finally {
            System.setErr(old);
        }
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.jsonl:2").contains("document 'bad'").contains("must be > 0");
    }

    /**
     * The tiny model with the zero-shot recommendations of the default BERT model in its model.json
     * (centring at the 90th percentile, inference-free queries, hybrid linear 0.4), as the engine's
     * tests write them.
     */
    private Path zeroShotTinyModel() throws Exception {
        Path dir = tinyModel();
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode info = (ObjectNode) json.readTree(dir.resolve("model.json").toFile());
        info.set("encoder", json.valueToTree(dev.lsr.encoder.model.ModelInfo.Defaults.zeroShotMlm()));
        Files.write(dir.resolve("model.json"), json.writeValueAsBytes(info));
        return dir;
    }

    /** The shared tiny model imported into the test's directory; skips the test when ../shared is absent. */
    private Path tinyModel() throws Exception {
        Path shared = Path.of(System.getProperty("lsr.shared", "../shared"));
        Path onnx = shared.resolve("models/tiny-mlm/model.onnx");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(onnx), "skipped: " + onnx + " is absent (needs ../shared)");
        Path model = tmp.resolve("tiny-mlm");
        dev.lsr.encoder.model.OnnxImporter.importModel(onnx, shared.resolve("models/tiny-mlm/tokenizer.json"), model,
                "tiny-mlm", dev.lsr.encoder.head.HeadDType.FP32);
        return model;
    }
}
