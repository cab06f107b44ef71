package dev.lsr.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** lsr model import and lsr encode on the shared tiny model. */
class ModelAndEncodeCommandTest {

    @TempDir
    Path tmp;

    static Path tiny() {
        Path p = Path.of(System.getProperty("lsr.shared", "../../shared")).resolve("models/tiny-mlm");
        assumeTrue(Files.isRegularFile(p.resolve("model.onnx")), "skipped: " + p + " is absent");
        return p;
    }

    static String stdout(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void importsThenEncodes() throws Exception {
        Path out = tmp.resolve("tiny");
        Path report = tmp.resolve("import.json");
        int code = Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(),
                "--tokenizer", tiny().resolve("tokenizer.json").toString(), "--out", out.toString(), "--json", report.toString());
        assertThat(code).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(report.toFile());
        assertThat(r.path("model").asString()).isEqualTo("tiny");
        assertThat(r.path("files").has("head.bin")).isTrue();
        assertThat(r.path("seconds").asDouble()).isPositive();
        byte[] head = Files.readAllBytes(out.resolve("head.bin"));
        assertThat(Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(), "--head-dtype", "bf16",
                "--out", out.toString())).as("a second import into the same directory is refused").isEqualTo(2);
        assertThat(Files.readAllBytes(out.resolve("head.bin"))).isEqualTo(head);
        assertThat(Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(), "--head-dtype", "bf16",
                "--out", out.toString(), "--replace")).isZero();
        assertThat(Files.size(out.resolve("head.bin"))).isLessThan(head.length);
        assertThat(Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(),
                "--out", out.toString(), "--replace")).isZero();

        int[] exit = new int[1];
        String json = stdout(() -> exit[0] = Main.run("encode", "--model", out.toString(), "--query", "protein folding kinetics", "--threads", "1"));
        assertThat(exit[0]).isZero();
        JsonNode v = JsonMapper.builder().build().readTree(json.strip());
        List<Double> weights = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            weights.add(e.getValue().asDouble());
        }
        assertThat(weights).isNotEmpty().isSortedAccordingTo((a, b) -> Double.compare(b, a));

        Path input = tmp.resolve("docs.jsonl");
        Files.writeString(input, "{\"_id\":\"d1\",\"title\":\"T\",\"text\":\"some text\"}\n{\"_id\":\"d2\",\"text\":\"\"}\n");
        String lines = stdout(() -> exit[0] = Main.run("encode", "--model", out.toString(), "--input", input.toString(), "--raw", "--threads", "1"));
        assertThat(exit[0]).isZero();
        String[] rows = lines.strip().split("\n");
        assertThat(rows).hasSize(2);
        assertThat(rows[0]).startsWith("{\"id\":\"d1\",\"vector\":{");
        assertThat(rows[1]).isEqualTo("{\"id\":\"d2\",\"vector\":{}}");
    }

    @Test
    void encodeReadsJsonLinesAsLsrIndexDoesFromAFileOrStandardInput() throws Exception {
        // lsr index reads text from id|_id and contents|text (title before it); encode ignored
        // `contents` and `id`, printing an empty vector for an Anserini-style line.
        String model = tiny().resolve("model.onnx").toString();
        String data = tmp.resolve("data").toString();
        String lines = "{\"id\":\"a\",\"contents\":\"protein folding\"}\n"
                + "{\"_id\":\"b\",\"text\":\"protein folding\"}\n"
                + "{\"id\":7,\"title\":\"protein folding\"}\n";
        java.io.InputStream oldIn = System.in;
        int[] exit = new int[1];
        String piped;
        try {
            System.setIn(new java.io.ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
            piped = stdout(() -> exit[0] = Main.run("encode", "--data", data, "--model", model, "--input", "-", "--threads", "1"));
        } finally {
            System.setIn(oldIn);
        }
        assertThat(exit[0]).isZero();
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> rows = new ArrayList<>();
        for (String row : piped.strip().split("\n")) {
            rows.add(json.readTree(row));
        }
        assertThat(rows).extracting(r -> r.path("id").asString()).containsExactly("a", "b", "7");
        assertThat(rows.get(0).path("vector").size()).isPositive();
        assertThat(rows.get(0).path("vector")).isEqualTo(rows.get(1).path("vector")).isEqualTo(rows.get(2).path("vector"));

        Path file = tmp.resolve("docs.jsonl");
        Files.writeString(file, lines);
        String fromFile = stdout(() -> exit[0] = Main.run("encode", "--data", data, "--model", model, "--input", file.toString(), "--threads", "1"));
        assertThat(exit[0]).isZero();
        assertThat(fromFile).isEqualTo(piped);

        Files.writeString(file, "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"body\":\"x\"}\n");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit[0] = Main.run("encode", "--data", data, "--model", model, "--input", file.toString(), "--threads", "1");
        } finally {
            System.setErr(oldErr);
        }
        assertThat(exit[0]).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "encode: " + file + ":2: field 'text' (or 'contents') is missing or not a string" + System.lineSeparator());
    }

    @Test
    void queryWeightsFromACorpusMakeLsrEncodeQueriesInferenceFree() throws Exception {
        Path corpus = Path.of(System.getProperty("lsr.shared", "../../shared")).resolve("data/scifact/corpus.jsonl.gz");
        assumeTrue(Files.isRegularFile(corpus), "skipped: " + corpus + " is absent");
        Path out = tmp.resolve("tiny");
        assertThat(Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(), "--out", out.toString())).isZero();
        JsonMapper json = JsonMapper.builder().build();
        tools.jackson.databind.node.ObjectNode info = (tools.jackson.databind.node.ObjectNode) json.readTree(out.resolve("model.json").toFile());
        ((tools.jackson.databind.node.ObjectNode) info.get("encoder")).put("query_mode", "inference-free").put("top_k", 12);
        Files.write(out.resolve("model.json"), json.writeValueAsBytes(info));
        // lsr encode takes model.json's settings, as a collection does (it ran the built-in top 256).
        int[] code = new int[1];
        String doc = stdout(() -> code[0] = Main.run("encode", "--model", out.toString(), "--document",
                "Aspirin reduces the risk of heart attacks in adults over fifty, a randomised trial found.", "--threads", "1"));
        assertThat(code[0]).isZero();
        assertThat(json.readTree(doc.strip()).size()).isEqualTo(12);

        Path report = tmp.resolve("qw.json");
        assertThat(Main.run("model", "query-weights", "--model", out.toString(), "--corpus", corpus.toString(), "--sample", "24",
                "--json", report.toString())).isZero();
        JsonNode r = json.readTree(report.toFile());
        assertThat(r.path("documents").asInt()).isEqualTo(24);
        assertThat(r.path("terms").asInt()).isPositive();
        assertThat(r.path("used_by_default").asBoolean()).isTrue();
        JsonNode table = json.readTree(out.resolve("query_weights.json").toFile());
        assertThat(table.size()).isEqualTo(r.path("terms").asInt());

        // lsr encode --query now weighs each query piece by the table instead of running the model.
        // (The tiny model is random: a query of words its document vectors hold, plus one they do not.)
        List<String> words = new ArrayList<>();
        table.propertyNames().forEach(t -> {
            if (words.size() < 3 && t.chars().allMatch(Character::isLowerCase)) {
                words.add(t);
            }
        });
        assertThat(words).hasSize(3);
        int[] exit = new int[1];
        String q = stdout(() -> exit[0] = Main.run("encode", "--model", out.toString(), "--query", String.join(" ", words) + " zzzzqx",
                "--threads", "1"));
        assertThat(exit[0]).isZero();
        JsonNode v = json.readTree(q.strip());
        assertThat(v.propertyNames()).containsAll(words);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            assertThat(table.has(e.getKey())).as(e.getKey()).isTrue();
            assertThat(e.getValue().floatValue()).as(e.getKey()).isEqualTo(table.get(e.getKey()).floatValue());
        }

        // A model recommending centring needs its offsets first: uncentred documents hold nearly every term.
        ((tools.jackson.databind.node.ObjectNode) info.get("encoder")).put("centring_percentile", 90.0);
        Files.write(out.resolve("model.json"), json.writeValueAsBytes(info));
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int refused;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            refused = Main.run("model", "query-weights", "--model", out.toString(), "--corpus", corpus.toString(), "--sample", "4");
        } finally {
            System.setErr(oldErr);
        }
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("recommends centring at percentile 90.0").contains("lsr model centring");
    }

    @Test
    void badInputExitsWithTwo() throws Exception {
        assertThat(Main.run("encode", "--model", tmp.resolve("nope").toString(), "--query", "x")).isEqualTo(2);
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int threads0;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            threads0 = Main.run("encode", "--model", tmp.resolve("nope").toString(), "--query", "x", "--threads", "0");
        } finally {
            System.setErr(oldErr);
        }
        assertThat(threads0).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).as("the option, before the model is looked at")
                .isEqualTo("encode: --threads must be >= 1, got 0" + System.lineSeparator());
        Path notOnnx = tmp.resolve("x.onnx");
        Files.writeString(notOnnx, "not a model");
        assertThat(Main.run("model", "import", "--onnx", notOnnx.toString(), "--tokenizer", tiny().resolve("tokenizer.json").toString(),
                "--out", tmp.resolve("o").toString())).isEqualTo(2);
        // A query body is built from the BERT checkpoint only; an unknown dtype is named.
        assertThat(Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(), "--query-body-dtype", "q8",
                "--out", tmp.resolve("o2").toString())).isEqualTo(2);
        assertThat(Main.run("model", "import", "--bert-checkpoint", tmp.resolve("absent.jar").toString(), "--query-body-dtype", "q4",
                "--out", tmp.resolve("o3").toString())).isEqualTo(2);
        // The document body: an unknown choice, the ONNX path (no q8 body), q8 without any q8 body.
        assertThat(Main.run("model", "import", "--bert-checkpoint", tmp.resolve("absent.jar").toString(), "--document-body-dtype", "q4",
                "--out", tmp.resolve("o4").toString())).isEqualTo(2);
        assertThat(Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(), "--document-body-dtype", "q8",
                "--out", tmp.resolve("o5").toString())).isEqualTo(2);
        assertThat(Main.run("model", "import", "--bert-checkpoint", tmp.resolve("absent.jar").toString(), "--document-body-dtype", "q8",
                "--query-body-dtype", "none", "--out", tmp.resolve("o6").toString())).isEqualTo(2);
        // Calibration text goes with sq8 (the default body) only; the ONNX path takes no body dtype.
        assertThat(Main.run("model", "import", "--bert-checkpoint", tmp.resolve("absent.jar").toString(), "--body-dtype", "fp32",
                "--calibration", tiny().resolve("model.onnx").toString(), "--out", tmp.resolve("o7").toString())).isEqualTo(2);
        assertThat(Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(), "--body-dtype", "sq8",
                "--out", tmp.resolve("o8").toString())).isEqualTo(2);
        assertThat(Main.run("model", "import", "--bert-checkpoint", tmp.resolve("absent.jar").toString(), "--body-dtype", "sq8",
                "--calibration", tmp.resolve("absent.jsonl").toString(), "--out", tmp.resolve("o9").toString())).isEqualTo(2);
        for (String o : List.of("o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9")) {
            assertThat(tmp.resolve(o)).doesNotExist();
        }
        // A model directory missing a file model.json lists is bad input naming the file, for every verb
        // that opens it (lsr model centring called it an internal error).
        Path broken = tmp.resolve("broken");
        assertThat(Main.run("model", "import", "--onnx", tiny().resolve("model.onnx").toString(), "--out", broken.toString())).isZero();
        Files.delete(broken.resolve("head.bin"));
        Path corpus = tmp.resolve("corpus.txt");
        Files.writeString(corpus, "one document\nanother document\n");
        for (String[] args : List.of(new String[] {"model", "centring", "--model", broken.toString(), "--corpus", corpus.toString(), "--percentile", "90"},
                new String[] {"model", "query-weights", "--model", broken.toString(), "--corpus", corpus.toString()},
                new String[] {"encode", "--model", broken.toString(), "--query", "x"})) {
            ByteArrayOutputStream e2 = new ByteArrayOutputStream();
            int code;
            try {
                System.setErr(new PrintStream(e2, true, StandardCharsets.UTF_8));
                code = Main.run(args);
            } finally {
                System.setErr(oldErr);
            }
            assertThat(code).as(String.join(" ", args)).isEqualTo(2);
            assertThat(e2.toString(StandardCharsets.UTF_8)).as(String.join(" ", args)).contains("head.bin").doesNotContain("internal error");
        }
    }
}
