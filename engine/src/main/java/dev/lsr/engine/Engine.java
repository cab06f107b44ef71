package dev.lsr.engine;

import dev.lsr.encoder.SparseEncoder;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionSnapshots;
import dev.lsr.index.Collections;
import dev.lsr.index.InvalidSettingsException;
import dev.lsr.index.settings.CollectionSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Text in, hits out: the one place where a model meets a collection. Collections live in
 * {@code dataDir/<name>}, imported models in {@code dataDir/models}. Every entry point (the REST
 * service, {@code lsr beir}, an embedding application) goes through here, so the same query on the
 * same collection ranks the same everywhere.
 *
 * <pre>{@code
 * try (Engine engine = Engine.open(Path.of("data"))) {
 *     EngineCollection notes = engine.create("notes", NewCollection.model("bert-base-uncased-mlm"));
 *     notes.add(List.of(new Document("1", null, "Learned sparse retrieval expands documents.", Map.of("lang", "en"), null)));
 *     notes.refresh();
 *     SearchResult r = notes.search(Query.text("sparse retrieval").withK(5).withFilter(Filters.term("lang", "en")));
 * }
 * }</pre>
 */
public final class Engine implements AutoCloseable {

    private final Collections collections;
    private final Models models;
    private final EngineOptions options;
    private final Map<String, EngineCollection> open = new HashMap<>();
    private String defaultModel;

    /** Where segments of one search run concurrently; null when {@code searchThreads} is 0. */
    private final ExecutorService searchPool;

    private final PeriodicCommits commits;

    private Engine(Collections collections, Models models, EngineOptions options, ExecutorService searchPool) {
        this.collections = collections;
        this.models = models;
        this.options = options;
        this.searchPool = searchPool;
        this.commits = PeriodicCommits.start(options.commitIntervalMs(), this::openCollections);
    }

    private synchronized List<EngineCollection> openCollections() {
        return List.copyOf(open.values());
    }

    /** Opens (creating it when absent) the data directory with {@link EngineOptions#defaults()}. */
    public static Engine open(Path dataDir) {
        return open(dataDir, EngineOptions.defaults());
    }

    public static Engine open(Path dataDir, EngineOptions options) {
        ExecutorService pool = options.searchThreads() == 0 ? null : searchPool(options.searchThreads());
        try {
            Collections cs = Collections.open(dataDir, pool);
            return new Engine(cs, new Models(dataDir, options.progress(), options.encoderThreads()), options, pool);
        } catch (RuntimeException | Error e) {
            if (pool != null) {
                pool.shutdownNow();
            }
            throw e;
        }
    }

    private static ExecutorService searchPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lsr-search-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public Path dataDir() {
        return collections.dataDir();
    }

    public EngineOptions options() {
        return options;
    }

    /** The models this engine has loaded or can load. */
    public Models models() {
        return models;
    }

    /**
     * The default model's resolved name (importing it on first use: the BERT checkpoint is a ~400 MB
     * download and conversion), or null when the engine has none.
     */
    public String defaultModel() {
        synchronized (models) {
            return resolveDefault();
        }
    }

    private String resolveDefault() {
        if (options.defaultModel() == null) {
            return null;
        }
        if (defaultModel == null) {
            defaultModel = models.resolve(options.defaultModel());
        }
        return defaultModel;
    }

    /** The encoder of a model by name or path; null: the default model (an error when there is none). */
    public SparseEncoder encoder(String model) {
        String name = model != null ? models.resolve(model) : defaultModel();
        if (name == null) {
            throw new UnknownModelException("no default model is configured; name a model", null);
        }
        return models.get(name);
    }

    /** A new collection with the default model and default settings. */
    public EngineCollection create(String name) {
        return create(name, NewCollection.defaultModel());
    }

    /**
     * Creates a collection. Its {@code dim} is the model's vocabulary size; centring is fitted on
     * its first documents when the model recommends a percentile and ships no offsets of its own.
     *
     * @throws InvalidSettingsException when the settings contradict the model
     */
    public EngineCollection create(String name, NewCollection spec) {
        // Resolving a model may import it (minutes for the default one): not under the engine's lock.
        Collections.checkName(name);
        CollectionSettings settings = spec.settings() != null ? spec.settings() : CollectionSettings.defaults();
        String model = spec.noModel() ? null : spec.model() != null ? models.resolve(spec.model()) : defaultModel();
        SparseEncoder encoder = model == null ? null : models.get(model);
        Centring centring = Centring.off();
        if (encoder != null) {
            int vocab = encoder.vocabulary().size();
            if (settings.dim() != vocab && settings.dim() != CollectionSettings.DEFAULT_DIM) {
                throw new InvalidSettingsException("setting 'dim' is " + settings.dim() + " but model '" + model
                        + "' has a vocabulary of " + vocab + " terms (omit 'dim' to take the model's)");
            }
            settings = settings.withModel(model).withDim(vocab);
            Double p = spec.centringPercentile() != null ? spec.centringPercentile() : encoder.info().defaults().centringPercentile();
            boolean modelOffsets = encoder.options().centring() && encoder.info().files() != null
                    && encoder.info().files().containsKey(dev.lsr.encoder.model.ModelInfo.TERM_OFFSETS);
            if (spec.termOffsets() != null) {
                if (spec.termOffsets().length != vocab) {
                    throw new InvalidSettingsException("term offsets have " + spec.termOffsets().length + " values, model '" + model
                            + "' has " + vocab + " terms");
                }
                centring = Centring.fitted(p, 0, spec.termOffsets());
            } else if (p != null && p > 0 && !modelOffsets && encoder.info().defaults().centring()) {
                centring = Centring.pending(p);
            }
        } else {
            settings = settings.withModel(null);
        }
        synchronized (this) {
            Collection c = collections.create(name, settings);
            if (!centring.status().equals(Centring.OFF)) {
                centring.write(c.directory());
            }
            EngineCollection ec = new EngineCollection(c, model, encoder, centring, options.centringFitDocs());
            open.put(name, ec);
            return ec;
        }
    }

    /**
     * An existing collection with its model (loaded on first use).
     *
     * @throws dev.lsr.index.CollectionNotFoundException when there is none of that name
     */
    public synchronized EngineCollection collection(String name) {
        Collection c = collections.get(name);
        EngineCollection ec = open.get(name);
        // The index reopens a collection whose writer failed: a new handle means a new wrapper.
        if (ec != null && ec.index() == c) {
            return ec;
        }
        String model = c.settings().model();
        SparseEncoder encoder = model == null ? null : models.get(model);
        Centring centring = encoder == null ? Centring.off() : Centring.read(c.directory(), encoder.vocabulary().size());
        ec = new EngineCollection(c, model, encoder, centring, options.centringFitDocs());
        open.put(name, ec);
        return ec;
    }

    public boolean exists(String name) {
        return collections.exists(name);
    }

    /** Names of every collection, sorted. */
    public List<String> names() {
        return collections.list();
    }

    /** Deletes a collection and all its files. */
    public synchronized void delete(String name) {
        open.remove(name);
        collections.delete(name);
    }

    /**
     * A consistent copy of a live collection (writes go on) in
     * {@code <dataDir>/.snapshots/<name>/<id>/}: its last commit, settings and centring state, with a
     * SHA-256 per file. See {@link CollectionSnapshots}.
     */
    public CollectionSnapshots.Manifest snapshot(String name) {
        return collections.snapshot(name);
    }

    /** The snapshots of a collection, newest first. */
    public List<CollectionSnapshots.Manifest> snapshots(String name) {
        return collections.snapshots(name);
    }

    /** One snapshot's manifest; {@link dev.lsr.index.SnapshotNotFoundException} when there is none. */
    public CollectionSnapshots.Manifest snapshot(String name, String id) {
        return collections.snapshot(name, id);
    }

    /**
     * Verifies every file of a snapshot of {@code name}, then restores it as the new collection
     * {@code into} (with its model, as the snapshot's settings name it).
     */
    public EngineCollection restore(String name, String id, String into) {
        collections.restore(name, id, into);
        return collection(into);
    }

    /** Commits and closes every collection, then releases the models. */
    @Override
    public void close() {
        // First, outside the engine's lock: a periodic commit in progress takes it to list the collections.
        commits.close();
        synchronized (this) {
            closeCollectionsAndModels();
        }
    }

    private void closeCollectionsAndModels() {
        try {
            collections.close();
        } finally {
            open.clear();
            try {
                models.close();
            } finally {
                if (searchPool != null) {
                    searchPool.shutdownNow();
                }
            }
        }
    }
}
