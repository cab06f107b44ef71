package dev.lsr.eval.index;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.index.Document;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The documents of {@code lsr index --input SRC}: a pre-encoded JSONL file or {@code synthetic:N[:seed]}. */
public final class InputDocuments implements Closeable {

    public static final int DEFAULT_DIM = 30522;

    private final Iterator<Document> documents;
    private final Closeable resource;

    private InputDocuments(Iterator<Document> documents, Closeable resource) {
        this.documents = documents;
        this.resource = resource;
    }

    public static int defaultDim(String model) throws IOException {
        Vocabulary v = Vocabularies.ofModel(model);
        return v == null ? DEFAULT_DIM : v.size();
    }

    /**
     * @param text documents without a vector are text for the caller to encode (else each needs a
     *     vector, and one without is an error naming file and line)
     */
    public static InputDocuments open(String src, String model, int dim, boolean text) throws IOException {
        if (dev.lsr.seismic.io.GeneratedCollection.isSpec(src)) {
            return new InputDocuments(Synthetic.documents(src, dim), () -> { });
        }
        Path file = Path.of(src);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("--input " + src + ": no such file");
        }
        PreEncodedReader r = new PreEncodedReader(file, Vocabularies.ofModel(model), dim, text);
        return new InputDocuments(r, r);
    }

    /**
     * Whether the input is text to encode: its first document has no {@code vector} (a BEIR corpus,
     * JSONL with contents/text). False for a generated source, a missing file or a first line that
     * does not parse (the reader then reports it with file and line).
     */
    public static boolean startsWithText(String src) {
        if (dev.lsr.seismic.io.GeneratedCollection.isSpec(src)) {
            return false;
        }
        try (java.io.BufferedReader r = openLines(Path.of(src))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    tools.jackson.databind.JsonNode o = tools.jackson.databind.json.JsonMapper.builder().build().readTree(line);
                    return o.isObject() && (!o.has("vector") || o.get("vector").isNull());
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The lines of a JSONL file, gunzipped when its name ends in .gz. */
    private static java.io.BufferedReader openLines(Path file) throws IOException {
        java.io.InputStream raw = Files.newInputStream(file);
        try {
            java.io.InputStream in = file.getFileName().toString().endsWith(".gz")
                    ? new java.util.zip.GZIPInputStream(raw, 1 << 16) : raw;
            return new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Query vectors for the benchmark. */
    public static List<SparseVector> queries(String src, String model, int dim) throws IOException {
        if (dev.lsr.seismic.io.GeneratedCollection.isSpec(src)) {
            return Synthetic.queries(src, dim);
        }
        List<SparseVector> out = new ArrayList<>();
        Path file = Path.of(src);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("--queries " + src + ": no such file");
        }
        try (PreEncodedReader r = new PreEncodedReader(file, Vocabularies.ofModel(model), dim, false)) {
            r.forEachRemaining(d -> out.add(d.vector()));
        }
        if (out.isEmpty()) {
            throw new BadInputException("--queries " + src + ": no queries");
        }
        return out;
    }

    /**
     * Non-blank lines of a JSONL[.gz] input (its documents, for a progress bar's time left), -1 for a
     * generated source or an unreadable file. One extra pass over the file: small beside encoding it.
     */
    public static long countDocuments(String src) {
        if (dev.lsr.seismic.io.GeneratedCollection.isSpec(src)) {
            return -1;
        }
        try (java.io.BufferedReader r = openLines(Path.of(src))) {
            return r.lines().filter(l -> !l.isBlank()).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    public Iterator<Document> documents() {
        return documents;
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
