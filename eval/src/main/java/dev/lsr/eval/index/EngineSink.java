package dev.lsr.eval.index;

import dev.lsr.engine.AddResult;
import dev.lsr.engine.BulkAdd;
import dev.lsr.engine.CentringInfo;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import dev.lsr.engine.EngineOptions;
import dev.lsr.engine.NewCollection;
import dev.lsr.engine.UnknownModelException;
import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.index.Collection;
import dev.lsr.index.Collections;
import dev.lsr.index.Document;
import dev.lsr.index.IndexException;
import dev.lsr.index.settings.CollectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Documents the model encodes, written through the {@link Engine} exactly as the REST service
 * writes them: the collection records its model, and when the model recommends corpus centring it
 * fits the offsets on its own first {@code centringFitDocs} documents and re-encodes them (see
 * {@link EngineCollection}). The engine's {@link BulkAdd} tokenises window i+1 on a helper thread
 * while the model runs window i. The collection directory {@code DIR} is the collection
 * {@code DIR}'s file name in the engine's data directory, its parent (so {@code lsr serve
 * --lsr.data-dir=PARENT} serves it under that name).
 */
public final class EngineSink implements IndexSink {

    /** Truncated document ids listed in the report at most; the count covers them all. */
    public static final int MAX_TRUNCATED_IDS = 1000;

    private final Engine engine;
    private final EngineCollection collection;
    private final BulkAdd bulk;
    private final String input;
    private long encoded;
    private long encodeMicros;
    private long tokens;
    private long paddingTokens;
    private long truncated;
    private final List<String> truncatedIds = new ArrayList<>();

    private EngineSink(Engine engine, EngineCollection collection, String input) {
        this.engine = engine;
        this.collection = collection;
        this.bulk = collection.bulkAdd();
        this.input = input;
    }

    /**
     * Opens the collection in {@code dir} (checking that it was made with {@code model}), or creates
     * it there with the model and {@code settings} when it has no collection.json.
     *
     * @param model a model directory
     * @param centringFitDocs the engine's fit size ({@link EngineOptions#centringFitDocs()})
     */
    public static EngineSink open(Path dir, String model, CollectionSettings settings, String input, int searchThreads,
            int centringFitDocs) {
        if (!Files.isDirectory(Path.of(model))) {
            throw new BadInputException("--model " + model + " is not a model directory (documents without vectors must be encoded)");
        }
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
        if (!Collections.NAME.matcher(name).matches()) {
            throw new BadInputException("--collection " + dir + ": a collection indexed from text is the engine's collection '" + name
                    + "' in " + abs.getParent() + ", so its directory name must be a collection name (" + Collections.NAME.pattern() + ")");
        }
        if (centringFitDocs < 1) {
            throw new BadInputException("--centring-fit-docs must be >= 1, was " + centringFitDocs);
        }
        // No periodic commits: segments end where --refresh-every and the RAM buffer say (a commit flushes
        // the buffer into a segment), and the run commits when it ends.
        Engine engine = Engine.open(abs.getParent(), EngineOptions.defaults().withDefaultModel(null)
                .withCentringFitDocs(centringFitDocs).withSearchThreads(searchThreads).withCommitIntervalMs(0));
        try {
            EngineCollection c;
            if (Files.exists(abs.resolve("collection.json"))) {
                c = engine.collection(name);
                String wanted = engine.models().resolve(model);
                if (!wanted.equals(c.model())) {
                    throw new BadInputException("--collection " + dir + " was made " + (c.model() == null ? "without a model (from vectors)"
                            : "with model " + c.model()) + ", not --model " + model + ": index its text into a new collection");
                }
            } else {
                c = engine.create(name, NewCollection.model(model).withSettings(settings));
            }
            return new EngineSink(engine, c, input);
        } catch (IndexException | UnknownModelException e) {
            engine.close();
            throw IndexSink.refused(e);
        } catch (RuntimeException | Error e) {
            engine.close();
            throw e;
        }
    }

    private record Started(BulkAdd.Window window) implements Window {
        @Override
        public int size() {
            return window.size();
        }

        @Override
        public int toEncode() {
            return window.toEncode();
        }
    }

    @Override
    public Collection collection() {
        return collection.index();
    }

    /** The engine's collection, with its model and centring. */
    public EngineCollection engineCollection() {
        return collection;
    }

    @Override
    public Window start(List<Document> docs) {
        return new Started(bulk.start(docs));
    }

    @Override
    public long finish(Window window, IntConsumer progress) {
        AddResult r = bulk.finish(((Started) window).window(), progress);
        encoded += window.toEncode();
        encodeMicros += r.encodeMicros();
        tokens += r.modelTokens();
        paddingTokens += r.paddingTokens();
        for (AddResult.Item it : r.items()) {
            if (it.error() != null) {
                throw new BadInputException("--input " + input + ": " + it.error());
            }
            if (it.truncated()) {
                truncated++;
                if (truncatedIds.size() < MAX_TRUNCATED_IDS) {
                    truncatedIds.add(it.id());
                }
            }
        }
        return r.indexed();
    }

    @Override
    public void report(Map<String, Object> report) {
        report.put("model", collection.model());
        if (encoded > 0) {
            double seconds = encodeMicros / 1e6;
            report.put("docs_encoded", encoded);
            report.put("encode_seconds", Math.round(seconds * 1000.0) / 1000.0);
            report.put("encode_docs_per_s", Math.round(encoded / seconds * 1000.0) / 1000.0);
            report.put("encode_padding_fraction", tokens + paddingTokens == 0 ? 0.0
                    : Math.round((double) paddingTokens / (tokens + paddingTokens) * 1e6) / 1e6);
            report.put("encode_max_tokens", collection.encoder().info().maxTokens());
            report.put("docs_truncated", truncated);
            report.put("truncated_doc_ids", List.copyOf(truncatedIds));
            if (truncated > 0) {
                System.err.printf("lsr index: %,d documents were cut at the model's %d tokens (truncated_doc_ids in the --json report)%n",
                        truncated, collection.encoder().info().maxTokens());
            }
        }
        CentringInfo c = collection.centring();
        Map<String, Object> centring = new LinkedHashMap<>();
        centring.put("status", c.status());
        centring.put("percentile", c.percentile());
        centring.put("documents", c.documents());
        report.put("centring", centring);
        if (c.status().equals("pending")) {
            System.err.printf("lsr index: centring pending: %,d documents encoded uncentred; the offsets are fitted on the first %,d "
                    + "(--centring-fit-docs), then those are re-encoded, as the service does%n", c.documents(),
                    engine.options().centringFitDocs());
        } else if (c.status().equals("fitted")) {
            System.err.printf("lsr index: centring fitted on the collection's first %,d documents (percentile %s)%n", c.documents(),
                    c.percentile());
        }
    }

    @Override
    public void close() {
        try {
            bulk.close();
        } finally {
            engine.close();
        }
    }
}
