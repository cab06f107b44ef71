package dev.lsr.eval.beir;

import dev.lsr.eval.metrics.ScoredDoc;
import dev.lsr.seismic.SparseVector;
import java.util.List;

/** What a BEIR run searches: the documents indexed once, then queries in any mode. */
public interface SearchBackend extends AutoCloseable {

    /** Indexes documents with their vectors (same order); visible to search when this returns. */
    void index(List<BeirDocument> docs, List<SparseVector> vectors);

    /**
     * Top {@code k} for one query; {@code vector} is null for bm25, {@code text} used by bm25 and
     * hybrid. Scores are the backend's own (fused scores for hybrid).
     */
    List<ScoredDoc> search(RunSpec spec, SparseVector vector, String text, int k);

    /**
     * Query mode {@code inference-free}: each distinct piece of the query weighs its IDF over the
     * indexed documents ({@code idf^idfPower}; null: the model's {@code query_idf_power}); no model run.
     */
    java.util.function.Function<String, SparseVector> inferenceFreeQueries(Double idfPower);

    @Override
    void close();
}
