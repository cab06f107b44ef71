package dev.lsr.eval.beir;

import dev.lsr.seismic.SparseVector;
import java.util.List;

/** Turns document texts into vectors; what the corpus encoding step and its cache need of a model. */
public interface DocumentEncoder {

    List<SparseVector> encodeDocuments(List<String> texts);

    /** {@link #encodeDocuments(List)} telling {@code progress} how many texts each model run finished. */
    default List<SparseVector> encodeDocuments(List<String> texts, java.util.function.IntConsumer progress) {
        List<SparseVector> out = encodeDocuments(texts);
        progress.accept(out.size());
        return out;
    }

    /** The model checksum and every option that changes the vectors; part of the cache key. */
    String modelChecksum();

    String optionsDescription();

    int dimension();
}
