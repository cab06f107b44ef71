package dev.lsr.eval.beir;

import dev.lsr.seismic.SparseVector;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** What a BEIR run needs of a model: document encoding, the two query modes, and its vocabulary. */
public interface EvalModel extends AutoCloseable {

    String name();

    DocumentEncoder documents();

    /** Query mode {@code full}: the model runs on the query. */
    SparseVector encodeQuery(String text);

    /**
     * Query mode {@code inference-free}: query tokens weighted from document frequencies over the
     * indexed vectors ({@code idf^idfPower}); no model run per query.
     */
    Function<String, SparseVector> inferenceFreeQueries(int[] documentFrequencies, long documents, double idfPower);

    /** The IDF power the model recommends for {@link #inferenceFreeQueries}: its {@code query_idf_power}, else 1. */
    double defaultQueryIdfPower();

    int dimension();

    /** Vocabulary lookup: the term id of a token, or -1. */
    ToIntFunction<String> termIds();

    /** Model facts for the report (checksum, options, ...). */
    java.util.Map<String, Object> describe();

    /** The model's raw per-term logits, when it can expose them (for {@code --keep-logits}). */
    default java.util.Optional<LogitSource> logits() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
