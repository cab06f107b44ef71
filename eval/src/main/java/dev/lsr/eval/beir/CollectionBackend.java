package dev.lsr.eval.beir;

import dev.lsr.eval.metrics.ScoredDoc;
import dev.lsr.index.Collection;
import dev.lsr.index.Collections;
import dev.lsr.index.Document;
import dev.lsr.index.Fusion;
import dev.lsr.index.Hit;
import dev.lsr.index.SearchMode;
import dev.lsr.index.SearchRequest;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.seismic.SparseVector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A BEIR run's documents in a real collection of the index module (Lucene + Seismic per segment). */
public final class CollectionBackend implements SearchBackend {

    private static final int BATCH = 1000;

    private final Collections collections;
    private final Collection collection;

    private CollectionBackend(Collections collections, Collection collection) {
        this.collections = collections;
        this.collection = collection;
    }

    /** A new collection named {@code beir} under {@code root}, vectors over {@code dim} terms. */
    public static CollectionBackend create(Path root, int dim, PrintStream log) {
        Collections cs = Collections.open(root);
        try {
            // Every segment gets a Seismic structure, however small, so approximate is what it says.
            CollectionSettings settings = CollectionSettings.defaults().withDim(dim).withExactSegmentMaxDocs(0);
            return new CollectionBackend(cs, cs.create("beir", settings));
        } catch (RuntimeException e) {
            cs.close();
            throw e;
        }
    }

    @Override
    public void index(List<BeirDocument> docs, List<SparseVector> vectors) {
        List<Document> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < docs.size(); i++) {
            BeirDocument d = docs.get(i);
            batch.add(new Document(d.id(), d.title(), d.text(), Map.of(), vectors == null ? null : vectors.get(i)));
            if (batch.size() == BATCH) {
                collection.upsert(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            collection.upsert(batch);
        }
        collection.commit();
        collection.forceMerge(1);
        collection.refresh();
    }

    @Override
    public List<ScoredDoc> search(RunSpec spec, SparseVector vector, String text, int k) {
        SearchRequest req;
        switch (spec.mode()) {
            case RunSpec.BM25 -> {
                if (text == null || text.isBlank()) {
                    return List.of();
                }
                req = SearchRequest.bm25(text, k);
            }
            case RunSpec.EXACT -> req = SearchRequest.exact(vector, k);
            case RunSpec.APPROXIMATE -> req = SearchRequest.sparse(vector, k)
                    .withQueryCut((Integer) spec.params().get("query_cut"))
                    .withHeapFactor((Double) spec.params().get("heap_factor"));
            case RunSpec.HYBRID -> {
                Fusion f = "linear".equals(spec.params().get("fusion"))
                        ? new Fusion.Linear((Double) spec.params().get("sparse_weight"), 1.0 - (Double) spec.params().get("sparse_weight"))
                        : new Fusion.Rrf((Integer) spec.params().get("rrf_k"));
                req = SearchRequest.hybrid(vector, text, k).withFusion(f).withCandidates(k);
            }
            default -> throw new IllegalArgumentException("unknown mode " + spec.mode());
        }
        // Evaluation needs ids and scores only: stored titles and texts would cost more than the search.
        List<Hit> hits = collection.search(req.withStoredFields(false)).hits();
        List<ScoredDoc> out = new ArrayList<>(hits.size());
        for (Hit h : hits) {
            out.add(new ScoredDoc(h.id(), h.score()));
        }
        return out;
    }

    @Override
    public int[] documentFrequencies() {
        return collection.documentFrequencies();
    }

    @Override
    public void close() {
        try {
            collection.close();
        } finally {
            collections.close();
        }
    }
}
