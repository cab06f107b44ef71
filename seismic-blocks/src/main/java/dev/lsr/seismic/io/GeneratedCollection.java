package dev.lsr.seismic.io;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.util.Optional;

/**
 * A deterministic benchmark collection named by a spec ({@code synthetic:N[:seed]} or
 * {@code realistic:N[:seed]}): document and query {@code i} depend only on the seed and {@code i},
 * so consumers may generate in parallel chunks. Implementations are immutable and thread-safe.
 */
public interface GeneratedCollection {

    /** How many documents (and, read as queries, how many queries) the spec asks for. */
    int size();

    int dim();

    SparseVector document(int i);

    SparseVector query(int i);

    /** The token vocabulary of the ids, when the source has one (realistic: real WordPiece tokens). */
    default Optional<Vocabulary> vocabulary() {
        return Optional.empty();
    }

    static boolean isSpec(String src) {
        return SyntheticCollection.isSpec(src) || RealisticCollection.isSpec(src);
    }

    /** Parses either spec; the exception's message names what is wrong. */
    static GeneratedCollection parse(String spec) {
        return RealisticCollection.isSpec(spec) ? RealisticCollection.parse(spec) : SyntheticCollection.parse(spec);
    }
}
