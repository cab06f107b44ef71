package dev.lsr.seismic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Term id to token string and back. Ids are positions in the list, as in BERT's {@code vocab.txt}.
 * Immutable and thread-safe.
 */
public final class Vocabulary {

    private final String[] tokens;
    private final Map<String, Integer> ids;

    public Vocabulary(List<String> tokens) {
        this.tokens = tokens.toArray(String[]::new);
        this.ids = new HashMap<>(this.tokens.length * 2);
        for (int i = 0; i < this.tokens.length; i++) {
            // First occurrence wins, as in WordPiece's own lookup.
            ids.putIfAbsent(this.tokens[i], i);
        }
    }

    /** Reads a BERT {@code vocab.txt}: one token per line, the line number (from 0) is the id. */
    public static Vocabulary fromVocabTxt(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        // A trailing empty line is an artefact of the file, not a token.
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ": vocabulary file is empty");
        }
        return new Vocabulary(lines);
    }

    public int size() {
        return tokens.length;
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IndexOutOfBoundsException("term id " + id + " outside [0, " + tokens.length + ")");
        }
        return tokens[id];
    }

    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id of {@code token}, or an {@link IllegalArgumentException} naming it. */
    public int idOrThrow(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    /** Converts a {@code {token: weight}} map into a validated vector. */
    public SparseVector vector(Map<String, ? extends Number> weights) {
        int[] idx = new int[weights.size()];
        float[] val = new float[weights.size()];
        int i = 0;
        for (Map.Entry<String, ? extends Number> e : weights.entrySet()) {
            idx[i] = idOrThrow(e.getKey());
            val[i] = e.getValue().floatValue();
            if (!(val[i] > 0f) || !Float.isFinite(val[i])) {
                throw new InvalidVectorException("token '" + e.getKey() + "': weight " + e.getValue()
                        + " must be finite and > 0");
            }
            i++;
        }
        return SparseVector.ofUnsorted(idx, val, tokens.length);
    }
}
