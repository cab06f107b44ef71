package dev.lsr.eval.beir;

import dev.lsr.engine.AddResult;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import dev.lsr.engine.EngineOptions;
import dev.lsr.engine.NewCollection;
import dev.lsr.engine.Prf;
import dev.lsr.engine.Query;
import dev.lsr.engine.QueryEncoder;
import dev.lsr.eval.metrics.ScoredDoc;
import dev.lsr.index.Document;
import dev.lsr.index.SearchMode;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A BEIR run's documents in a real collection, made and searched through the {@link Engine}: the
 * same collection, query encoding and search as the REST service and an embedding application.
 * The collection ({@value #NAME}) keeps the run's model and centring, so it can be opened and
 * searched by text afterwards ({@code --collection DIR}, then {@code lsr serve --lsr.data-dir=DIR}).
 */
public final class CollectionBackend implements SearchBackend {

    /** The collection's name under the root directory. */
    public static final String NAME = "beir";
    private static final int BATCH = 1000;

    private final Engine engine;
    private final EngineCollection collection;

    private CollectionBackend(Engine engine, EngineCollection collection) {
        this.engine = engine;
        this.collection = collection;
    }

    /**
     * A new collection {@value #NAME} under {@code root}.
     *
     * @param modelDir the run's model, or null for a vectors-only collection over {@code dim} terms
     * @param termOffsets the centring offsets the run fitted on the corpus (null: none of the run's own)
     * @param centringPercentile the percentile they were fitted at
     */
    public static CollectionBackend create(Path root, Path modelDir, int dim, float[] termOffsets, Double centringPercentile) {
        // No periodic commits either: a commit flushes the RAM buffer into a segment.
        Engine engine = Engine.open(root, EngineOptions.defaults().withDefaultModel(null).withCommitIntervalMs(0));
        try {
            // Every segment gets a Seismic structure, however small, so approximate is what it says.
            // No background refresh and no merges but the final forced one: segments then end where
            // the RAM buffer fills, not where a timer fires or a merge thread happens to be, so the
            // same inputs give the same segment, document order and Seismic blocks, and the same run
            // files (with a 1 s refresh and tiered merges, two runs of SciFact differed in BM25 ties
            // and approximate nDCG, eval/README.md).
            CollectionSettings settings = CollectionSettings.defaults().withDim(dim).withExactSegmentMaxDocs(0)
                    .withRefreshIntervalMs(0).withWriter(new WriterSettings(null, null, false));
            NewCollection spec;
            if (modelDir == null) {
                spec = NewCollection.vectorsOnly();
            } else if (termOffsets != null) {
                spec = NewCollection.model(modelDir.toString()).withTermOffsets(termOffsets, centringPercentile);
            } else {
                // The run encodes the documents itself: nothing for the collection to fit.
                spec = NewCollection.model(modelDir.toString()).withCentringPercentile(0.0);
            }
            return new CollectionBackend(engine, engine.create(NAME, spec.withSettings(settings)));
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The collection, for what the run asks of it beyond search (query encoding, recommendations). */
    public EngineCollection collection() {
        return collection;
    }

    @Override
    public void index(List<BeirDocument> docs, List<SparseVector> vectors) {
        List<Document> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < docs.size(); i++) {
            BeirDocument d = docs.get(i);
            // bm25-only runs have no vectors: the empty vector, not one the engine would encode.
            batch.add(new Document(d.id(), d.title(), d.text(), Map.of(), vectors == null ? SparseVector.empty() : vectors.get(i)));
            if (batch.size() == BATCH) {
                add(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            add(batch);
        }
        collection.commit();
        collection.forceMerge(1);
        collection.refresh();
    }

    private void add(List<Document> batch) {
        AddResult r = collection.add(batch);
        if (r.failed() > 0) {
            throw new IllegalStateException(r.failed() + " documents failed to index; the first: "
                    + r.items().stream().filter(it -> it.error() != null).findFirst().orElseThrow().error());
        }
    }

    /** The engine's query of a run setting (what {@code lsr beir} searches, and what a test repeats through REST). */
    public static Query query(RunSpec spec, SparseVector vector, String text, int k) {
        Query q = vector != null ? Query.vector(vector).withText(text) : Query.text(text);
        q = q.withK(k).withStoredFields(false);
        if (spec.params().get("prf_weight") instanceof Double w) {
            q = q.withPrf(new Prf((Integer) spec.params().get("prf_docs"), (Integer) spec.params().get("prf_terms"), w));
        }
        return switch (spec.mode()) {
            case RunSpec.BM25 -> q.withMode(SearchMode.BM25);
            case RunSpec.EXACT -> q.withMode(SearchMode.EXACT);
            case RunSpec.APPROXIMATE -> q.withMode(SearchMode.APPROXIMATE)
                    .withQueryCut((Integer) spec.params().get("query_cut"))
                    .withHeapFactor((Double) spec.params().get("heap_factor"));
            case RunSpec.HYBRID -> {
                Query h = q.withMode(SearchMode.HYBRID).withCandidates(k);
                if ("linear".equals(spec.params().get("fusion"))) {
                    double w = (Double) spec.params().get("sparse_weight");
                    yield h.withFusion("linear").withSparseWeight(w).withBm25Weight(1.0 - w);
                }
                yield h.withFusion("rrf").withRrfK((Integer) spec.params().get("rrf_k"));
            }
            default -> throw new IllegalArgumentException("unknown mode " + spec.mode());
        };
    }

    @Override
    public List<ScoredDoc> search(RunSpec spec, SparseVector vector, String text, int k) {
        if (spec.mode().equals(RunSpec.BM25) && (text == null || text.isBlank())) {
            return List.of();
        }
        List<ScoredDoc> out = new ArrayList<>(k);
        for (var h : collection.search(query(spec, vector, text, k)).hits()) {
            out.add(new ScoredDoc(h.id(), h.score()));
        }
        return out;
    }

    @Override
    public Function<String, SparseVector> inferenceFreeQueries(Double idfPower) {
        return text -> collection.encodeQuery(text, QueryEncoder.INFERENCE_FREE, idfPower).vector();
    }

    @Override
    public void close() {
        engine.close();
    }
}
