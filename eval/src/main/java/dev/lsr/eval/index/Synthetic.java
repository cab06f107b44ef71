package dev.lsr.eval.index;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.index.Document;
import dev.lsr.seismic.SparseVector;
import java.util.Iterator;
import java.util.List;

/** {@code synthetic:N[:seed]} documents and queries from seismic-blocks' generator. */
final class Synthetic {

    private Synthetic() {}

    static Iterator<Document> documents(String src, int dim) {
        throw new BadInputException("--input " + src + ": synthetic collections are not available in this build yet");
    }

    static List<SparseVector> queries(String src, int dim) {
        throw new BadInputException("--queries " + src + ": synthetic queries are not available in this build yet");
    }
}
