package dev.lsr.engine;

import dev.lsr.encoder.DocumentPipeline;
import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.QueryMode;
import dev.lsr.encoder.QueryWeights;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionStats;
import dev.lsr.index.Document;
import dev.lsr.index.Filter;
import dev.lsr.index.InvalidRequestException;
import dev.lsr.index.SearchMode;
import dev.lsr.index.SearchRequest;
import dev.lsr.index.SearchResponse;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection with its model: documents go in as text (encoded here) or vectors, queries as
 * text or vectors, and what a query leaves out takes the model's recommended search
 * ({@link #recommendedMode()}, {@link #recommendedQueryEncoder()}, the model's hybrid fusion and
 * weight, inference-free IDF weights from this collection's documents). A collection whose model
 * recommends corpus centring fits it on its own first documents (see {@link CentringInfo}).
 * Thread-safe; closed with its {@link Engine}.
 */
public final class EngineCollection {

    private static final Logger LOG = LoggerFactory.getLogger(EngineCollection.class);
    private static final int FIT_BATCH = 32;

    private final Collection index;
    private final String modelName;
    private final SparseEncoder model;
    /**
     * The model running on queries: {@link #model} opens with model.json's query mode, which is
     * inference-free over the model's own query_weights.json when it has one, not what a full query asks for.
     */
    private final SparseEncoder fullQueries;
    private final DocumentWriter writer;
    private final Recommendations recommendations;
    private final int fitDocs;
    private final boolean modelCentring;

    /** Guards the centring state while it is pending; writes of a pending collection go one at a time. */
    private final Object centringLock = new Object();
    private volatile Centring centring;
    private volatile SparseEncoder documents;
    /** Pending only: the max logits of documents encoded before the fit, so the fit need not run the model again. */
    private final Map<String, Pending> pendingRows = new LinkedHashMap<>();

    private volatile Idf idf;

    private record Pending(Document document, float[] logits) {}

    /** Inference-free query weights for one refreshed view of the collection ({@link Collection#viewVersion()}). */
    private record Idf(long version, double power, SparseEncoder encoder) {}

    EngineCollection(Collection index, String modelName, SparseEncoder model, Centring centring, int fitDocs) {
        this.index = index;
        this.modelName = modelName;
        this.model = model;
        this.fullQueries = model == null ? null : model.withOptions(model.options().withQueryMode(QueryMode.FULL));
        this.writer = new DocumentWriter(index, model);
        this.recommendations = new Recommendations(model == null ? null : model.info().defaults());
        this.fitDocs = fitDocs;
        this.modelCentring = model != null && model.options().centring()
                && model.info().files() != null && model.info().files().containsKey(ModelInfo.TERM_OFFSETS);
        this.centring = centring;
        this.documents = documentEncoder(centring);
    }

    private SparseEncoder documentEncoder(Centring c) {
        if (model == null) {
            return null;
        }
        if (c.offsets() != null) {
            return model.withOptions(model.options().withTermOffsets(c.offsets()));
        }
        return c.isPending() ? model.withOptions(model.options().withCentring(false)) : model;
    }

    /** Whether the collection was closed (its engine closed, or the collection deleted). */
    public boolean isClosed() {
        return index.isClosed();
    }

    public String name() {
        return index.name();
    }

    /** The model's name (or directory), null when the collection takes vectors only. */
    public String model() {
        return modelName;
    }

    /** The model's encoder (its own defaults), null when the collection takes vectors only. */
    public SparseEncoder encoder() {
        return model;
    }

    /** The model's vocabulary (term id to token), null when the collection takes vectors only. */
    public Vocabulary vocabulary() {
        return model == null ? null : model.vocabulary();
    }

    public CollectionSettings settings() {
        return index.settings();
    }

    /** The index collection underneath (Lucene and Seismic), for what this class does not cover. */
    public Collection index() {
        return index;
    }

    public CollectionStats stats() {
        return index.stats();
    }

    public CentringInfo centring() {
        if (modelCentring) {
            return new CentringInfo("model", null, 0);
        }
        return centring.info();
    }

    /** The collection's own fitted centring offsets (a copy), or null when it has none. */
    public float[] termOffsets() {
        float[] o = centring.offsets();
        return o == null ? null : o.clone();
    }

    /** The mode a text query gets when it names none: hybrid when the model recommends a fusion, else approximate. */
    public SearchMode recommendedMode() {
        return recommendations.mode();
    }

    /** How a text query is encoded when it does not say: the model's {@code query_mode}, else full. */
    public QueryEncoder recommendedQueryEncoder() {
        return recommendations.queryEncoder();
    }

    // ---------------------------------------------------------------- writes

    /**
     * Adds or replaces documents by id. A document without a vector has its title and text encoded
     * with the collection's model (one model call for the batch). Visible after {@link #refresh()},
     * durable after {@link #commit()}.
     */
    public AddResult add(List<Document> docs) {
        return add(prepare(docs, null), done -> { });
    }

    /**
     * Adds documents in windows, the next window's texts tokenised on a helper thread while the
     * model runs the current one: each window gets exactly what {@link #add} gives it.
     */
    public BulkAdd bulkAdd() {
        return new BulkAdd(this);
    }

    /** A batch checked, its texts being tokenised (see {@link DocumentWriter#prepare}). */
    DocumentWriter.Prepared prepare(List<Document> docs, DocumentPipeline pipeline) {
        return writer.prepare(docs, pipeline);
    }

    /** Writes a prepared batch; {@code progress} hears how many documents each model run finished. */
    AddResult add(DocumentWriter.Prepared batch, IntConsumer progress) {
        if (centring.isPending()) {
            synchronized (centringLock) {
                if (centring.isPending()) {
                    return addPending(batch, progress);
                }
            }
        }
        return writer.write(batch, documents, false, progress).result();
    }

    private AddResult addPending(DocumentWriter.Prepared batch, IntConsumer progress) {
        List<Document> docs = batch.docs();
        DocumentWriter.Written w = writer.write(batch, documents, true, progress);
        Set<String> withVectors = new HashSet<>();
        for (int i = 0; i < docs.size(); i++) {
            if (docs.get(i) != null && docs.get(i).vector() != null && w.result().items().get(i).status().equals(AddResult.Item.INDEXED)) {
                withVectors.add(docs.get(i).id());
            }
        }
        // A document replaced by one with its own vector is no longer ours to re-encode.
        pendingRows.keySet().removeAll(withVectors);
        List<String> kept = new ArrayList<>(centring.pendingIds());
        kept.removeAll(withVectors);
        for (int i = 0; i < w.encodedIds().size(); i++) {
            pendingRows.put(w.encodedIds().get(i), new Pending(w.encodedDocs().get(i), w.logits().get(i)));
        }
        Centring next = new Centring(centring.status(), centring.percentile(), 0, null, kept).withPending(w.encodedIds());
        next.write(index.directory());
        centring = next;
        if (next.pendingIds().size() >= fitDocs) {
            fit();
        }
        return w.result();
    }

    /**
     * Fits the collection's centring offsets now on the documents encoded so far (instead of waiting
     * for the fit size), and re-encodes them. Does nothing unless centring is pending.
     */
    public void fitCentring() {
        synchronized (centringLock) {
            if (centring.isPending() && !centring.pendingIds().isEmpty()) {
                fit();
            }
        }
    }

    /** Under {@link #centringLock}: fit, re-encode the pending documents, commit, then record the state. */
    private void fit() {
        long t0 = System.nanoTime();
        index.refresh();
        List<Document> docs = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (String id : centring.pendingIds()) {
            Optional<Document> stored = index.get(id);
            if (stored.isEmpty()) {
                continue; // deleted since
            }
            Pending p = pendingRows.get(id);
            docs.add(p != null ? p.document() : stored.get());
            rows.add(p != null ? p.logits() : null);
            if (p == null) {
                missing.add(docs.size() - 1);
            }
        }
        // After a restart the logits are gone: run the model again on the stored text.
        for (int from = 0; from < missing.size(); from += FIT_BATCH) {
            List<Integer> part = missing.subList(from, Math.min(from + FIT_BATCH, missing.size()));
            List<String> texts = part.stream().map(i -> DocumentWriter.passage(docs.get(i))).toList();
            float[][] m = model.maxLogits(texts);
            for (int j = 0; j < part.size(); j++) {
                rows.set(part.get(j), m[j]);
            }
        }
        float[][] usable = rows.stream().filter(r -> r != null).toArray(float[][]::new);
        if (usable.length == 0) {
            return;
        }
        float[] offsets = SparseEncoder.centringOffsets(usable, centring.percentile());
        SparseEncoder centred = model.withOptions(model.options().withTermOffsets(offsets));
        List<Document> again = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            Document d = docs.get(i);
            again.add(new Document(d.id(), d.title(), d.text(), d.metadata(), centred.postprocess(rows.get(i))));
        }
        index.upsert(again);
        index.commit();
        Centring fitted = Centring.fitted(centring.percentile(), usable.length, offsets);
        fitted.write(index.directory());
        centring = fitted;
        documents = centred;
        pendingRows.clear();
        idf = null;
        LOG.info("collection '{}': centring offsets (percentile {}) fitted on {} documents, which were re-encoded, in {} ms",
                name(), centring.percentile(), usable.length, (System.nanoTime() - t0) / 1_000_000);
    }

    /** The document with this id (with its vector) as of the latest refresh. */
    public Optional<Document> get(String id) {
        return index.get(id);
    }

    /** Deletes the document with this id, if any. Visible after refresh, durable after commit. */
    public void delete(String id) {
        if (centring.isPending()) {
            synchronized (centringLock) {
                pendingRows.remove(id);
                index.delete(id);
                return;
            }
        }
        index.delete(id);
    }

    /**
     * Deletes every document the filter matches (build one with {@link Filters}); returns how many
     * it matched in a view refreshed just before. A document waiting for the centring fit that is
     * deleted is skipped by the fit.
     */
    public long deleteByFilter(Filter filter) {
        return index.deleteByFilter(filter);
    }

    /** Makes all writes so far visible to searches. */
    public void refresh() {
        index.refresh();
    }

    /** Makes all writes so far durable. */
    public void commit() {
        index.commit();
    }

    /**
     * What a write request asks for once its writes are done: {@link #commit()} (durable) first, then
     * {@link #refresh()} (searchable), each when asked.
     */
    public void commitAndRefresh(boolean commit, boolean refresh) {
        if (commit) {
            commit();
        }
        if (refresh) {
            refresh();
        }
    }

    /** {@link #commit()} when anything changed since the last commit; returns whether it committed. */
    public boolean commitIfChanged() {
        return index.commitIfChanged();
    }

    /** Merges down to at most {@code maxSegments} segments, then refreshes. */
    public void forceMerge(int maxSegments) {
        index.forceMerge(maxSegments);
    }

    // ---------------------------------------------------------------- search

    /**
     * A text query as the collection's search encodes it: {@code encoder} null means the
     * recommended one; inference-free weights are the IDF of each term in this collection (to the
     * power {@code idfPower}, null: the model's).
     *
     * @throws InvalidRequestException when the collection has no model
     */
    public EncodedText encodeQuery(String text, QueryEncoder encoder, Double idfPower) {
        if (model == null) {
            throw new InvalidRequestException("collection '" + name() + "' has no model, so search it with a 'vector' or in mode bm25");
        }
        QueryEncoder e = encoder != null ? encoder : recommendations.queryEncoder();
        if (e == QueryEncoder.FULL) {
            return fullQueries.encodeQuery(text);
        }
        SparseEncoder inf = inferenceFree(idfPower != null ? idfPower : recommendations.idfPower());
        return inf == null ? EncodedText.empty() : inf.encodeQuery(text);
    }

    /** The model with this collection's IDF table as its query weights; null while the collection is empty. */
    private SparseEncoder inferenceFree(double power) {
        // The view's version, not its stats: stats list the index's files on every call, which
        // cost more than the rest of an inference-free query. Read first, so a refresh while the
        // table is built leaves an older key and the next query builds it again.
        long version = index.viewVersion();
        Idf cur = idf;
        if (cur != null && cur.version() == version && cur.power() == power) {
            return cur.encoder();
        }
        CollectionStats s = index.stats();
        long n = (long) s.docs() + s.deletedDocs();
        if (n == 0) {
            return null;
        }
        int[] df = Arrays.copyOf(index.documentFrequencies(), model.info().vocabSize());
        SparseEncoder enc = model.withOptions(model.options().withQueryWeights(QueryWeights.fromDocumentFrequencies(df, n, power)));
        idf = new Idf(version, power, enc);
        return enc;
    }

    /** Runs a query; what it leaves out takes the model's recommendation or the collection's setting. */
    public SearchResult search(Query q) {
        boolean hasText = q.hasText();
        SearchMode mode = q.mode() != null ? q.mode() : hasText ? recommendations.mode() : SearchMode.APPROXIMATE;
        SparseVector vector = null;
        EncodedText encoded = null;
        QueryEncoder usedEncoder = null;
        long encodeMicros = 0;
        if (mode != SearchMode.BM25) {
            if (q.vector() != null) {
                vector = q.vector();
            } else if (hasText) {
                long t0 = System.nanoTime();
                usedEncoder = q.queryEncoder() != null ? q.queryEncoder() : recommendations.queryEncoder();
                encoded = encodeQuery(q.text(), usedEncoder, q.idfPower());
                vector = encoded.vector();
                encodeMicros = (System.nanoTime() - t0) / 1000;
            } else {
                throw new InvalidRequestException("give 'query' (text) or 'vector' to search in mode " + mode.label());
            }
        }
        if ((mode == SearchMode.BM25 || mode == SearchMode.HYBRID) && !hasText) {
            throw new InvalidRequestException("mode " + mode.label() + " needs 'query' text");
        }
        SearchRequest request = switch (mode) {
            case APPROXIMATE -> SearchRequest.sparse(vector, q.k());
            case EXACT -> SearchRequest.exact(vector, q.k());
            case BM25 -> SearchRequest.bm25(q.text(), q.k());
            case HYBRID -> SearchRequest.hybrid(vector, q.text(), q.k());
        };
        request = request.withFilter(q.filter()).withExplain(q.explain()).withQueryCut(q.queryCut())
                .withHeapFactor(q.heapFactor()).withStoredFields(q.storedFields());
        if (mode == SearchMode.HYBRID) {
            request = request.withFusion(recommendations.fusion(q));
            if (q.candidates() != null) {
                request = request.withCandidates(q.candidates());
            }
        }
        long t0 = System.nanoTime();
        if (q.prf() != null && vector != null && !vector.isEmpty()) {
            vector = feedback(request, vector, q.prf());
            request = request.withVector(vector);
        }
        SearchResponse response = index.search(request);
        long searchMicros = (System.nanoTime() - t0) / 1000;

        Vocabulary vocabulary = vocabulary();
        SearchResult.QueryView view = q.explain() && vector != null ? ResultViews.queryView(vector, encoded, vocabulary) : null;
        return new SearchResult(ResultViews.hits(response, vocabulary), response.mode(), usedEncoder, view, encodeMicros, searchMicros);
    }

    /** The first pass of PRF: the top documents' vectors expand the query. */
    private SparseVector feedback(SearchRequest request, SparseVector vector, Prf prf) {
        SearchResponse first = index.search(request.withK(prf.docs()).withExplain(false).withStoredFields(false));
        List<SparseVector> docs = new ArrayList<>(first.hits().size());
        for (dev.lsr.index.Hit h : first.hits()) {
            index.get(h.id()).ifPresent(d -> docs.add(d.vector()));
        }
        return Feedback.expand(vector, docs, prf.terms(), prf.weight(), index.settings().dim());
    }

}
