package dev.lsr.eval.cli;

import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelRegistry;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lsr encode}: sparse vectors as {@code {token: weight}} JSON, sorted by weight. */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode text into sparse vectors, printed as JSON {token: weight}.")
public final class EncodeCommand implements Callable<Integer> {

    static final class Input {
        @Option(names = "--query", description = "encode one query")
        String query;

        @Option(names = "--document", description = "encode one document")
        String document;

        @Option(names = "--input", description = "documents: one text per line, or JSONL as lsr index reads text (id|_id, contents|text, title?; a BEIR corpus), .gz too, - for standard input; one JSON object per line out")
        Path input;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input in;

    @Option(names = "--model", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "model name under the data dir (imported on first use), model directory, or ONNX export (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--data", description = "data directory (default: $LSR_DATA or ./data)")
    Path data;

    @Option(names = "--raw", description = "the model's own output: log1p(relu(max over all tokens)), no masking or pruning; queries and documents run body.onnx (the reference), not the model's q8 body")
    boolean raw;

    @Option(names = "--threads", description = "encoder threads (default: all cores)")
    Integer threads;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Integer call() throws Exception {
        if (threads != null && threads < 1) {
            throw new ExitCodes.BadInputException("--threads must be >= 1, got " + threads);
        }
        Path dir;
        SparseEncoder encoder;
        try (ImportProgressBar bar = new ImportProgressBar()) {
            dir = new ModelRegistry(data != null ? data : ModelRegistry.defaultDataDir(), bar).resolve(model);
        } catch (ModelFormatException e) {
            throw new ExitCodes.BadInputException(e.getMessage(), e);
        }
        try {
            // The settings model.json records (top k, threshold, query mode...), as the engine opens a
            // model: the vectors are those a collection would index and search with.
            encoder = SparseEncoder.open(dir, info -> {
                EncoderOptions opts = EncoderOptions.defaults(info);
                return opts.withRaw(raw).withQueryMode(raw ? dev.lsr.encoder.QueryMode.FULL : opts.queryMode())
                        .withQueryBody(raw ? dev.lsr.encoder.QueryBody.DOCUMENT : dev.lsr.encoder.QueryBody.MODEL)
                        .withDocumentBody(raw ? dev.lsr.encoder.DocumentBody.BODY : dev.lsr.encoder.DocumentBody.MODEL)
                        .withThreads(threads != null ? threads : opts.threads());
            });
        } catch (ModelFormatException e) {
            throw new ExitCodes.BadInputException(e.getMessage(), e);
        }
        PrintStream out = System.out;
        try (encoder) {
            Vocabulary vocab = encoder.vocabulary();
            if (in.query != null) {
                out.println(json(encoder.encodeQuery(in.query).vector(), vocab));
            } else if (in.document != null) {
                out.println(json(encoder.encodeDocuments(List.of(in.document)).get(0).vector(), vocab));
            } else {
                encodeFile(encoder, vocab, out);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void encodeFile(SparseEncoder encoder, Vocabulary vocab, PrintStream out) throws IOException {
        try (BufferedReader r = openInput(in.input)) {
            List<String> ids = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String t = line.strip();
                if (t.startsWith("{")) {
                    parseJsonLine(t, in.input + ":" + lineNo, ids, texts);
                } else {
                    ids.add(null);
                    texts.add(line);
                }
                if (texts.size() == 64) {
                    flush(encoder, vocab, ids, texts, out);
                }
            }
            flush(encoder, vocab, ids, texts, out);
        }
    }

    /** The input's lines: {@code -} is standard input (for a pipe), a name ending in .gz is gunzipped. */
    private static BufferedReader openInput(Path input) throws IOException {
        if (input.toString().equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        if (Files.isDirectory(input)) {
            throw new ExitCodes.BadInputException("--input " + input + ": is a directory, not a file");
        }
        if (!Files.isRegularFile(input)) {
            throw new ExitCodes.BadInputException("--input " + input + ": no such file");
        }
        return input.getFileName().toString().endsWith(".gz")
                ? new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(input)), StandardCharsets.UTF_8))
                : Files.newBufferedReader(input, StandardCharsets.UTF_8);
    }

    /**
     * A JSON line as {@code lsr index} reads text: {@code id} or {@code _id}, {@code contents} or
     * {@code text}, an optional {@code title} before it. A line with neither text field is refused
     * (it would print an empty vector as if the document had been encoded).
     */
    private static void parseJsonLine(String json, String where, List<String> ids, List<String> texts) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new ExitCodes.BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode id = n.has("id") ? n.get("id") : n.get("_id");
        JsonNode body = n.has("contents") ? n.get("contents") : n.get("text");
        String title = n.path("title").asString("");
        if ((body == null || !body.isString()) && title.isBlank()) {
            throw new ExitCodes.BadInputException(where + ": field 'text' (or 'contents') is missing or not a string");
        }
        String text = body == null || !body.isString() ? "" : body.asString();
        ids.add(id == null || id.isNull() ? null : id.asString());
        texts.add(title.isBlank() ? text : text.isBlank() ? title : title + " " + text);
    }

    private static void flush(SparseEncoder encoder, Vocabulary vocab, List<String> ids, List<String> texts, PrintStream out) {
        List<EncodedText> enc = encoder.encodeDocuments(texts);
        for (int i = 0; i < texts.size(); i++) {
            String v = json(enc.get(i).vector(), vocab);
            out.println(ids.get(i) == null ? v : "{\"id\":" + JSON.writeValueAsString(ids.get(i)) + ",\"vector\":" + v + "}");
        }
        ids.clear();
        texts.clear();
    }

    /** {@code {token: weight}} sorted by weight, descending. */
    static String json(SparseVector v, Vocabulary vocab) {
        Integer[] order = new Integer[v.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(v.value(b), v.value(a)));
        Map<String, Float> m = new LinkedHashMap<>();
        for (int i : order) {
            m.put(vocab.token(v.index(i)), v.value(i));
        }
        return JSON.writeValueAsString(m);
    }
}
