package dev.lsr.eval.bench;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.eval.vectors.VectorSources;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.IdVector;
import dev.lsr.seismic.io.GeneratedCollection;
import dev.lsr.seismic.io.GeneratedSpec;
import java.io.IOException;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;

/**
 * The vectors every method of a {@code bench seismic} run sees: the documents in a forward index
 * (stored, quantised weights), the queries, how long reading the documents took, and the source
 * options queries were read with (a generated source's vocabulary maps token queries).
 */
public record SeismicBenchData(ForwardIndex forward, SparseVector[] queries, double forwardSeconds,
        VectorSources.Options options) {

    /**
     * Reads queries (the first {@code maxQueries} when > 0) and documents; empty inputs are bad
     * input. Generated documents are parsed once (a realistic source reads ~1 GB of shared text),
     * and their vocabulary, when they have one, maps queries given as tokens.
     */
    public static SeismicBenchData load(String docs, String queries, VectorSources.Options given, int maxQueries,
            WeightEncoding encoding, Bars bars) throws IOException {
        try {
            GeneratedSpec.checkQueriesBelong(docs, queries);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        GeneratedCollection generated = GeneratedCollection.isSpec(docs) ? VectorSources.parseGenerated(docs) : null;
        VectorSources.Options opts = generated == null ? given : given.forDocuments(generated);
        List<IdVector> qlist = VectorSources.load(queries, VectorSources.Role.QUERIES, opts);
        if (maxQueries > 0 && qlist.size() > maxQueries) {
            qlist = qlist.subList(0, maxQueries);
        }
        if (qlist.isEmpty()) {
            throw new BadInputException(queries + ": no queries");
        }
        SparseVector[] qs = qlist.stream().map(IdVector::vector).toArray(SparseVector[]::new);
        int docDim = generated != null ? generated.dim() : VectorSources.dim(docs, opts);
        long t0 = System.nanoTime();
        ForwardIndex.Builder fb = ForwardIndex.builder(docDim, encoding);
        long expectedDocs = generated != null ? generated.size() : -1;
        try (ProgressBar bar = bars.open("docs", expectedDocs)) {
            java.util.function.BiConsumer<String, SparseVector> sink = (id, v) -> {
                fb.add(v);
                if ((fb.size() & 4095) == 0) {
                    bar.stepTo(fb.size());
                }
            };
            if (generated != null) {
                VectorSources.streamGenerated(generated, VectorSources.Role.DOCUMENTS, sink);
            } else {
                VectorSources.stream(docs, VectorSources.Role.DOCUMENTS, opts, sink);
            }
            bar.stepTo(fb.size());
        }
        ForwardIndex forward = fb.build();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (forward.size() == 0) {
            throw new BadInputException(docs + ": no documents");
        }
        return new SeismicBenchData(forward, qs, seconds, opts);
    }
}
