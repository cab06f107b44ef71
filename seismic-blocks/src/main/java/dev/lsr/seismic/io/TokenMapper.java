package dev.lsr.seismic.io;

import dev.lsr.seismic.Vocabulary;
import java.util.OptionalInt;

/**
 * Token string to term id: through a {@link Vocabulary} when one is given, otherwise the token
 * must itself be a term id in {@code [0, dim)} (vectors pre-encoded with numeric ids).
 */
public record TokenMapper(Vocabulary vocabulary, int dim) {

    public static TokenMapper of(Vocabulary vocabularyOrNull, int dim) {
        return new TokenMapper(vocabularyOrNull, vocabularyOrNull == null ? dim : vocabularyOrNull.size());
    }

    /** The id, or -1 when the token is unknown. */
    public int id(String token) {
        if (vocabulary != null) {
            OptionalInt id = vocabulary.id(token);
            return id.isPresent() ? id.getAsInt() : -1;
        }
        try {
            int id = Integer.parseInt(token);
            return id >= 0 && id < dim ? id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String describeUnknown(String token) {
        return vocabulary != null ? "token '" + token + "' is not in the vocabulary"
                : "token '" + token + "' is not a term id in [0, " + dim + ") (pass a vocabulary to map tokens)";
    }
}
