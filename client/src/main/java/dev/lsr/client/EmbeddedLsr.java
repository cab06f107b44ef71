package dev.lsr.client;

import dev.lsr.engine.AddResult;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import dev.lsr.engine.EngineOptions;
import dev.lsr.engine.NewCollection;
import dev.lsr.engine.QueryEncoder;
import dev.lsr.engine.UnknownModelException;
import dev.lsr.index.CollectionExistsException;
import dev.lsr.index.CollectionLockedException;
import dev.lsr.index.CollectionNotFoundException;
import dev.lsr.index.IncompatibleCollectionException;
import dev.lsr.index.IndexException;
import dev.lsr.index.InvalidDocumentException;
import dev.lsr.index.InvalidRequestException;
import dev.lsr.index.InvalidSettingsException;
import dev.lsr.index.settings.SettingsJson;
import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link LsrOperations} over an {@link Engine} in this process: the integrations' embedded mode.
 * Same types, same semantics and the same exceptions as {@link LsrClient} against {@code lsr serve}
 * (a refusal of the engine becomes the exception the REST problem would: a bad request is a
 * {@link BadRequestException}, an unknown collection a {@link NotFoundException}, ...), so that code
 * moves between embedded and remote by changing one line. Needs {@code lsr-engine} on the class path.
 */
public final class EmbeddedLsr implements LsrOperations, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Engine engine;
    private final boolean ownsEngine;

    private EmbeddedLsr(Engine engine, boolean ownsEngine) {
        this.engine = engine;
        this.ownsEngine = ownsEngine;
    }

    /** Opens the data directory with the engine's defaults (default model {@code bert-base-uncased-mlm}, imported on first use). */
    public static EmbeddedLsr open(Path dataDir) {
        return new EmbeddedLsr(Engine.open(dataDir), true);
    }

    /** Opens the data directory with these options (e.g. another default model, or none). */
    public static EmbeddedLsr open(Path dataDir, EngineOptions options) {
        return new EmbeddedLsr(Engine.open(dataDir, options), true);
    }

    /** Wraps an engine the caller keeps (and closes). */
    public static EmbeddedLsr of(Engine engine) {
        return new EmbeddedLsr(engine, false);
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public SearchResult search(String collection, SearchQuery q) {
        return call("search " + collection, () -> {
            EngineCollection c = engine.collection(collection);
            dev.lsr.engine.Query eq = q.vector() != null
                    ? dev.lsr.engine.Query.vector(vector(q.vector(), c, "'vector'")).withText(q.text())
                    : dev.lsr.engine.Query.text(q.text());
            SearchParams p = q.params();
            eq = eq.withK(q.k()).withMode(q.mode() == null ? null : dev.lsr.index.SearchMode.valueOf(q.mode().name()))
                    .withExplain(q.explain()).withStoredFields(q.storedFields())
                    .withQueryCut(p.queryCut()).withHeapFactor(p.heapFactor()).withFusion(p.fusion()).withRrfK(p.rrfK())
                    .withSparseWeight(p.sparseWeight()).withBm25Weight(p.bm25Weight()).withCandidates(p.candidates())
                    .withQueryEncoder(QueryEncoder.parse(p.queryEncoder())).withIdfPower(p.idfPower()).withPrf(p.prf() == null ? null : dev.lsr.engine.Prf.of(p.prf().docs(), p.prf().terms(), p.prf().weight()));
            if (q.filter() != null) {
                eq = eq.withFilter(dev.lsr.index.Filter.of(JSON.valueToTree(q.filter().toJson())));
            }
            dev.lsr.engine.SearchResult r = c.search(eq);
            List<Hit> hits = new ArrayList<>(r.hits().size());
            for (dev.lsr.engine.SearchResult.Hit h : r.hits()) {
                List<TermContribution> explanation = null;
                if (h.explanation() != null) {
                    explanation = new ArrayList<>(h.explanation().size());
                    for (dev.lsr.engine.SearchResult.TermScore t : h.explanation()) {
                        explanation.add(new TermContribution(t.token(), t.termId(), t.queryWeight(), t.documentWeight(), t.contribution()));
                    }
                }
                hits.add(new Hit(h.id(), h.score(), h.title(), h.text(), h.metadata(), explanation));
            }
            QueryInfo query = null;
            if (r.query() != null) {
                List<QueryInfo.Term> terms = new ArrayList<>();
                for (dev.lsr.engine.SearchResult.QueryTerm t : r.query().terms()) {
                    terms.add(new QueryInfo.Term(t.token(), t.termId(), t.weight(), t.expansion()));
                }
                query = new QueryInfo(r.query().tokens(), terms, r.query().truncated(),
                        r.queryEncoder() == null ? null : r.queryEncoder().label());
            }
            return new SearchResult(hits, r.mode().label(), (r.encodeMicros() + r.searchMicros()) / 1000.0, query);
        });
    }

    @Override
    public IndexResult addDocuments(String collection, List<Document> documents, WriteOptions options) {
        return call("add documents to " + collection, () -> {
            EngineCollection c = engine.collection(collection);
            // A document whose vector cannot be read fails alone, as in the service; the rest go to the engine.
            IndexResult.Item[] items = new IndexResult.Item[documents.size()];
            List<dev.lsr.index.Document> docs = new ArrayList<>(documents.size());
            List<Integer> positions = new ArrayList<>(documents.size());
            for (int i = 0; i < documents.size(); i++) {
                Document d = documents.get(i);
                try {
                    docs.add(new dev.lsr.index.Document(d.id(), d.title(), d.text(), d.metadata(),
                            d.vector() == null ? null : vector(d.vector(), c, "document '" + d.id() + "': vector")));
                    positions.add(i);
                } catch (InvalidVectorException e) {
                    items[i] = new IndexResult.Item(i, d.id(), AddResult.Item.FAILED, e.getMessage());
                }
            }
            if (!docs.isEmpty()) {
                for (AddResult.Item item : c.add(docs).items()) {
                    int at = positions.get(item.position());
                    items[at] = new IndexResult.Item(at, item.id(), item.status(), item.error());
                }
            }
            int indexed = 0;
            for (IndexResult.Item item : items) {
                indexed += AddResult.Item.INDEXED.equals(item.status()) ? 1 : 0;
            }
            List<IndexResult.Item> r = List.of(items);
            if (indexed == 0 && !documents.isEmpty()) {
                // As the service answers a batch that failed whole: 400 with the items.
                String first = items[0].error();
                throw problem("add documents to " + collection, 400, (documents.size() == 1 ? "" : "all " + documents.size()
                        + " documents failed; the first: ") + first, Map.of("items", JSON.convertValue(r, new TypeReference<List<Object>>() {})));
            }
            c.commitAndRefresh(options.commit(), options.refresh());
            return new IndexResult(indexed, documents.size() - indexed, r, null);
        });
    }

    @Override
    public CollectionInfo createCollection(String name, CollectionSettings settings) {
        return call("create " + name, () -> {
            ObjectNode json = JSON.valueToTree(settings.toJson());
            NewCollection spec;
            if (!json.has("model")) {
                spec = NewCollection.defaultModel();
            } else if (json.get("model").isNull()) {
                spec = NewCollection.vectorsOnly();
            } else {
                spec = NewCollection.model(json.get("model").asString());
            }
            json.remove("model");
            spec = spec.withSettings(SettingsJson.bind(json));
            return info(engine.create(name, spec));
        });
    }

    @Override
    public Optional<CollectionInfo> findCollection(String name) {
        return call("find " + name, () -> engine.exists(name) ? Optional.of(info(engine.collection(name))) : Optional.empty());
    }

    @Override
    public void deleteDocument(String collection, String id, WriteOptions options) {
        call("delete " + id + " from " + collection, () -> {
            EngineCollection c = engine.collection(collection);
            c.delete(id);
            c.commitAndRefresh(options.commit(), options.refresh());
            return null;
        });
    }

    /** Deletes every document the filter matches; returns how many it matched (as {@link LsrClient#deleteByFilter}). */
    @Override
    public long deleteByFilter(String collection, Filter filter, WriteOptions options) {
        return call("delete by filter from " + collection, () -> {
            EngineCollection c = engine.collection(collection);
            long deleted = c.deleteByFilter(dev.lsr.index.Filter.of(JSON.valueToTree(filter.toJson())));
            c.commitAndRefresh(options.commit(), options.refresh());
            return deleted;
        });
    }

    /** Closes the engine when this opened it (commits and closes every collection). */
    @Override
    public void close() {
        if (ownsEngine) {
            engine.close();
        }
    }

    private static CollectionInfo info(EngineCollection c) {
        Map<String, Object> settings = JSON.convertValue(SettingsJson.toTree(c.settings()), new TypeReference<Map<String, Object>>() {});
        dev.lsr.index.CollectionStats s = c.stats();
        return new CollectionInfo(c.name(), settings,
                new CollectionStats(s.name(), s.model(), s.dim(), s.docs(), s.deletedDocs(), s.segments(), s.seismicSegments(), s.bytes()));
    }

    private static dev.lsr.seismic.SparseVector vector(SparseVector v, EngineCollection c, String where) {
        int dim = c.settings().dim();
        int[] ids;
        float[] weights;
        if (v.hasTokens()) {
            Vocabulary vocabulary = c.vocabulary();
            if (vocabulary == null) {
                throw new InvalidVectorException(where + ": this collection has no model, so a vector must be {\"indices\": [...], \"values\": [...]}");
            }
            ids = new int[v.size()];
            weights = new float[v.size()];
            int i = 0;
            for (Map.Entry<String, Float> e : v.tokens().entrySet()) {
                OptionalInt id = vocabulary.id(e.getKey());
                if (id.isEmpty()) {
                    throw new InvalidVectorException(where + ": token '" + e.getKey() + "' is not in the model's vocabulary");
                }
                ids[i] = id.getAsInt();
                weights[i++] = e.getValue();
            }
        } else {
            ids = v.indices();
            weights = v.values();
        }
        try {
            return dev.lsr.seismic.SparseVector.ofUnsorted(ids, weights, dim);
        } catch (IllegalArgumentException e) {
            throw new InvalidVectorException(where + ": " + e.getMessage());
        }
    }

    /** Runs an engine call, turning its refusals into the exceptions LsrClient raises for the same REST problems. */
    private static <T> T call(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (CollectionNotFoundException e) {
            throw problem(what, 404, e.getMessage(), Map.of());
        } catch (CollectionExistsException | CollectionLockedException | IncompatibleCollectionException e) {
            throw problem(what, 409, e.getMessage(), Map.of());
        } catch (InvalidDocumentException | InvalidRequestException | InvalidSettingsException | InvalidVectorException
                | UnknownModelException e) {
            throw problem(what, 400, e.getMessage(), Map.of());
        } catch (IndexException e) {
            throw problem(what, 500, e.getMessage(), Map.of());
        }
    }

    private static LsrProblemException problem(String what, int status, String detail, Map<String, Object> extra) {
        Map<String, Object> p = new LinkedHashMap<>(extra);
        p.put("status", status);
        p.put("detail", detail);
        return LsrProblemException.of(what, status, p);
    }
}
