package dev.lsr.eval.beir;

import dev.lsr.seismic.SparseVector;
import java.util.function.ToIntFunction;

/** What a BEIR run needs of a model: document encoding, the two query modes, and its vocabulary. */
public interface EvalModel extends AutoCloseable {

    String name();

    DocumentEncoder documents();

    /** Query mode {@code full}: the model runs on the query. */
    SparseVector encodeQuery(String text);

    /** The IDF power the model recommends for inference-free queries: its {@code query_idf_power}, else 1. */
    double defaultQueryIdfPower();

    /** Centring offsets this run fitted on the corpus and encodes documents with; null when none. */
    default float[] termOffsets() {
        return null;
    }

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
