package dev.lsr.eval.vectors;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import dev.lsr.seismic.io.AnseriniQueryTsv;
import dev.lsr.seismic.io.CsrMatrix;
import dev.lsr.seismic.io.IdVector;
import dev.lsr.seismic.io.MalformedInputException;
import dev.lsr.seismic.io.GeneratedCollection;
import dev.lsr.seismic.io.SyntheticCollection;
import dev.lsr.seismic.io.TokenMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens a documents or queries {@code SRC} (DESIGN.md): {@code synthetic:N[:seed]}, a BigANN
 * {@code .csr}, an Anserini query TSV ({@code .tsv[.gz]}), or JSON lines ({@code .jsonl},
 * {@code .json}, optionally {@code .gz}) in Anserini JsonVectorCollection
 * ({@code {"id","contents","vector":{token:weight}}}) or vector JSONL ({@code {"id","vector"}})
 * form. The JSON formats are read here because seismic-blocks is JDK only; the binary and TSV
 * formats come from {@code dev.lsr.seismic.io}. Bad input is a {@link BadInputException} naming
 * the file and line.
 */
public final class VectorSources {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Whether the source is read as documents or as queries (matters for synthetic sources). */
    public enum Role {
        DOCUMENTS,
        QUERIES
    }

    /**
     * @param vocabulary maps tokens to ids; null means tokens must be numeric term ids
     * @param dim        the vector dimension when there is no vocabulary
     * @param tsvScale   weight of one token repetition in Anserini TSV
     */
    public record Options(Vocabulary vocabulary, int dim, float tsvScale) {
        public static Options defaults() {
            return new Options(null, SyntheticCollection.DIM, AnseriniQueryTsv.DEFAULT_SCALE);
        }

        public int effectiveDim() {
            return vocabulary != null ? vocabulary.size() : dim;
        }

        /**
         * These options, with the generated documents' vocabulary (realistic sources have one) when
         * no vocabulary was given: so that the real SPLADE++ query TSV, read as queries, lands in
         * the same id space as the documents built from it.
         */
        public Options forDocuments(GeneratedCollection docs) {
            return vocabulary != null ? this : docs.vocabulary().map(v -> new Options(v, dim, tsvScale)).orElse(this);
        }
    }

    private VectorSources() {}

    /** Loads every vector of {@code src}. */
    public static List<IdVector> load(String src, Role role, Options o) {
        List<IdVector> out = new ArrayList<>();
        stream(src, role, o, (id, v) -> out.add(new IdVector(id, v)));
        return out;
    }

    /** The dimension of the vectors {@code src} yields; a file that is not there is bad input here, before any reading. */
    public static int dim(String src, Options o) {
        if (GeneratedCollection.isSpec(src)) {
            return parseGenerated(src).dim();
        }
        if (src.endsWith(".csr")) {
            try (Arena arena = Arena.ofShared()) {
                return CsrMatrix.open(existing(src), arena).cols();
            } catch (IOException e) {
                throw new UncheckedIOException(src + ": " + e.getMessage(), e);
            }
        }
        existing(src);
        return o.effectiveDim();
    }

    /**
     * Streams the vectors of {@code src} in order to {@code sink}; returns how many. Synthetic
     * sources are generated in parallel chunks and delivered in order.
     */
    public static int stream(String src, Role role, Options o, BiConsumer<String, SparseVector> sink) {
        try {
            if (GeneratedCollection.isSpec(src)) {
                return streamGenerated(parseGenerated(src), role, sink);
            }
            Path file = existing(src);
            String name = file.getFileName().toString();
            if (name.endsWith(".csr")) {
                try (Arena arena = Arena.ofShared()) {
                    CsrMatrix m = CsrMatrix.open(file, arena);
                    for (int i = 0; i < m.rows(); i++) {
                        sink.accept(Integer.toString(i), m.row(i));
                    }
                    return m.rows();
                }
            }
            String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            TokenMapper tokens = TokenMapper.of(o.vocabulary(), o.dim());
            if (base.endsWith(".tsv")) {
                List<IdVector> vs = AnseriniQueryTsv.read(file, tokens, o.tsvScale());
                vs.forEach(v -> sink.accept(v.id(), v.vector()));
                return vs.size();
            }
            if (base.endsWith(".jsonl") || base.endsWith(".json")) {
                return streamJson(file, tokens, sink);
            }
            throw new BadInputException(src + ": unknown vector format (expected synthetic:N[:seed], realistic:N[:seed], .csr, "
                    + ".tsv[.gz] or .jsonl[.gz])");
        } catch (MalformedInputException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(src + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(src + ": " + e.getMessage(), e);
        }
    }

    private static Path existing(String src) {
        Path p = Path.of(src);
        if (Files.isDirectory(p)) {
            throw new BadInputException(src + ": is a directory, not a file of vectors");
        }
        if (!Files.isRegularFile(p)) {
            throw new BadInputException(src + ": no such file");
        }
        return p;
    }

    /** Parses a {@code synthetic:} / {@code realistic:} spec; a bad spec is bad input naming it. */
    public static GeneratedCollection parseGenerated(String src) {
        try {
            return GeneratedCollection.parse(src);
        } catch (IllegalArgumentException e) {
            // The parsers' messages mostly quote the spec already: say it once.
            String m = String.valueOf(e.getMessage());
            throw new BadInputException(m.contains(src) ? m : src + ": " + m, e);
        }
    }

    /**
     * Streams an already parsed generated collection (realistic sources read a large shared file
     * when parsed: parse once, then stream); returns how many.
     */
    public static int streamGenerated(GeneratedCollection c, Role role, BiConsumer<String, SparseVector> sink) {
        int n = c.size();
        int chunk = 16_384;
        String prefix = role == Role.DOCUMENTS ? "d" : "q";
        for (int from = 0; from < n; from += chunk) {
            int f = from;
            SparseVector[] vs = IntStream.range(from, Math.min(n, from + chunk)).parallel()
                    .mapToObj(i -> role == Role.DOCUMENTS ? c.document(i) : c.query(i))
                    .toArray(SparseVector[]::new);
            for (int i = 0; i < vs.length; i++) {
                sink.accept(prefix + (f + i), vs[i]);
            }
        }
        return n;
    }

    private static int streamJson(Path file, TokenMapper tokens, BiConsumer<String, SparseVector> sink) throws IOException {
        String name = file.toString();
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        int count = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                IdVector v = parseJsonLine(line, name, lineNo, tokens);
                sink.accept(v.id(), v.vector());
                count++;
            }
        }
        return count;
    }

    /** Parses one JsonVectorCollection / vector JSONL line. */
    static IdVector parseJsonLine(String line, String name, long lineNo, TokenMapper tokens) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new BadInputException(name + ":" + lineNo + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadInputException(name + ":" + lineNo + ": expected a JSON object");
        }
        JsonNode idNode = node.has("id") ? node.get("id") : node.get("_id");
        if (idNode == null || !(idNode.isString() || idNode.isNumber())) {
            throw new BadInputException(name + ":" + lineNo + ": missing \"id\"");
        }
        JsonNode vec = node.get("vector");
        if (vec == null || !vec.isObject()) {
            throw new BadInputException(name + ":" + lineNo + ": missing \"vector\" object {token: weight}");
        }
        Map<Integer, Float> weights = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : vec.properties()) {
            if (!e.getValue().isNumber()) {
                throw new BadInputException(name + ":" + lineNo + ": weight of '" + e.getKey() + "' is not a number");
            }
            float w = e.getValue().floatValue();
            if (w == 0f) {
                continue;
            }
            int id = tokens.id(e.getKey());
            if (id < 0) {
                throw new BadInputException(name + ":" + lineNo + ": " + tokens.describeUnknown(e.getKey()));
            }
            weights.merge(id, w, Float::sum);
        }
        int[] ids = new int[weights.size()];
        float[] ws = new float[weights.size()];
        int i = 0;
        for (Map.Entry<Integer, Float> e : weights.entrySet()) {
            ids[i] = e.getKey();
            ws[i++] = e.getValue();
        }
        try {
            return new IdVector(idNode.asString(), SparseVector.of(ids, ws, tokens.dim()));
        } catch (InvalidVectorException e) {
            throw new BadInputException(name + ":" + lineNo + ": " + e.getMessage());
        }
    }

    /** Reads a vocabulary: BERT {@code vocab.txt}, or Hugging Face {@code tokenizer.json} ({@code model.vocab}). */
    public static Vocabulary loadVocabulary(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file + ": no such file");
            }
            if (!file.getFileName().toString().endsWith(".json")) {
                return Vocabulary.fromVocabTxt(file);
            }
            JsonNode vocab = JSON.readTree(file.toFile()).path("model").path("vocab");
            if (!vocab.isObject() || vocab.isEmpty()) {
                throw new BadInputException(file + ": no model.vocab object (is this a WordPiece tokenizer.json?)");
            }
            String[] tokens = new String[vocab.size()];
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                int id = e.getValue().asInt(-1);
                if (id < 0 || id >= tokens.length || tokens[id] != null) {
                    throw new BadInputException(file + ": model.vocab id of '" + e.getKey() + "' is not a unique id in [0, "
                            + tokens.length + ")");
                }
                tokens[id] = e.getKey();
            }
            return new Vocabulary(List.of(tokens));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
    }
}
