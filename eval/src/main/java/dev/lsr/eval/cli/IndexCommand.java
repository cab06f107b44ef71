package dev.lsr.eval.cli;

import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelRegistry;
import dev.lsr.engine.EngineOptions;
import dev.lsr.eval.bench.Timing;
import dev.lsr.eval.index.EngineSink;
import dev.lsr.eval.index.HeapPeak;
import dev.lsr.eval.index.IndexSink;
import dev.lsr.eval.index.InputDocuments;
import dev.lsr.eval.index.RefreshPolicy;
import dev.lsr.eval.index.SearchAfterIndexing;
import dev.lsr.eval.index.VectorSink;
import dev.lsr.eval.index.WindowedIngest;
import dev.lsr.eval.report.JsonReport;
import dev.lsr.eval.report.Latencies;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionStats;
import dev.lsr.index.IndexException;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SettingsJson;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.io.GeneratedSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr index}: bulk-indexes documents into a collection directory (created when absent),
 * commits, and reports the rate. Pre-encoded and generated vectors go straight into the index
 * ({@link VectorSink}); text read with {@code --model} goes through the engine ({@link EngineSink}),
 * so the collection is the one the REST service builds from the same documents, centring fitted
 * on its own first documents included. With {@code --queries}, also measures search latency and
 * recall vs exact on the collection as indexed (many segments) and after merging it to one segment.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Bulk-index pre-encoded vectors (JSONL / JsonVectorCollection / synthetic:N[:seed] / realistic:N[:seed]) or text (JSONL with contents|text, "
                + "a BEIR corpus) encoded with --model through the engine, centring fitted per collection as the service does.")
public final class IndexCommand implements Callable<Integer> {

    @Option(names = "--collection", required = true, paramLabel = "DIR", description = "collection directory (created if absent)")
    Path collection;

    @Option(names = "--model", paramLabel = "M",
            description = "text input: the model that encodes it, a model name under --data (imported on first use), "
                    + "a model directory or an ONNX export; vectors: recorded in a new collection's settings, its vocab.txt/tokenizer.json maps token-keyed vectors")
    String model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "where --model names are looked up and ONNX exports imported (default: $LSR_DATA or ./data)")
    Path data;

    @Option(names = "--input", required = true, paramLabel = "SRC",
            description = "JSONL[.gz] of {id, contents|text, title?, metadata?, vector}, a BEIR corpus.jsonl[.gz] (encoded with --model), synthetic:N[:seed] or realistic:N[:seed]")
    String input;

    @Option(names = "--json", paramLabel = "FILE", description = "write the report here")
    Path json;

    @Option(names = "--batch", defaultValue = "1000", description = "documents per upsert (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--quiet", description = "no progress bar while documents are encoded")
    boolean quiet;

    @Option(names = "--dim", description = "vocabulary size of a new collection (default: the model's, else 30522)")
    Integer dim;

    @Option(names = "--exact-segment-max-docs", description = "new collection: segments below this size are searched exactly")
    Integer exactSegmentMaxDocs;

    @Option(names = "--no-merges", description = "new collection: keep every flushed segment (forced merges still run, and so do "
            + "the background builds that give a flushed segment its Seismic structure: they keep its documents)")
    boolean noMerges;

    @Option(names = "--max-buffered-docs", description = "new collection: flush a segment every N documents")
    Integer maxBufferedDocs;

    @Option(names = "--refresh-every", defaultValue = "0", description = "refresh after every N documents and report refresh latency (0: once at the end)")
    int refreshEvery;

    @Option(names = "--force-merge", description = "merge down to this many segments after indexing")
    Integer forceMerge;

    @Option(names = "--queries", paramLabel = "SRC", description = "benchmark: query vectors (JSONL, synthetic:N[:seed] or realistic:N[:seed]); measures many segments vs force-merged to one")
    String queries;

    @Option(names = "--filters", description = "benchmark: give every document metadata 'bucket' (0..999, spread evenly over ids and segments) "
            + "and, with --queries, also measure filtered search on the merged collection with filters passing 0.1%%, 1%%, 5%%, 20%%, 50%% and 100%%")
    boolean filters;

    @Option(names = "--warmup-ms", defaultValue = "" + Timing.DEFAULT_WARMUP_MILLIS,
            description = "benchmark: warm-up of each measurement (every query once, and at least this long; default ${DEFAULT-VALUE})")
    long warmupMs;

    @Option(names = "--settings", paramLabel = "JSON",
            description = "new collection: its settings as the JSON object of collection.json's \"settings\" (the other new-collection options apply on top)")
    String settingsJson;

    @Option(names = "--search-threads", defaultValue = "0",
            description = "search a collection's segments concurrently on this many threads besides the caller's (default ${DEFAULT-VALUE}: sequential)")
    int searchThreads;

    @Option(names = "-k", defaultValue = "10", description = "benchmark: top-k (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--centring-fit-docs", defaultValue = "" + EngineOptions.DEFAULT_CENTRING_FIT_DOCS,
            description = "text input: a collection whose model recommends corpus centring fits it on its first N documents, "
                    + "then re-encodes them, as the service does (default ${DEFAULT-VALUE}, the service's lsr.centring-fit-docs)")
    int centringFitDocs;

    @Override
    public Integer call() throws Exception {
        OutputPaths.checkFile("--json", json);
        OutputPaths.checkDirectory("--collection", collection);
        if (batch < 1) {
            throw new ExitCodes.BadInputException("--batch must be >= 1");
        }
        if (searchThreads < 0) {
            throw new ExitCodes.BadInputException("--search-threads must be >= 0, was " + searchThreads);
        }
        if (warmupMs < 0) {
            throw new ExitCodes.BadInputException("--warmup-ms must be >= 0, was " + warmupMs);
        }
        if (queries != null) {
            try {
                GeneratedSpec.checkQueriesBelong(input, queries);
            } catch (IllegalArgumentException e) {
                throw new ExitCodes.BadInputException(e.getMessage(), e);
            }
        }
        boolean text = model != null && InputDocuments.startsWithText(input);
        if (text) {
            // From here on --model is the directory it names, as for lsr encode and lsr beir.
            model = resolveModel().toString();
        }
        Map<String, Object> report = new LinkedHashMap<>();
        try (IndexSink sink = openSink(text)) {
            Collection c = sink.collection();
            long start = System.nanoTime();
            RefreshPolicy refresh = new RefreshPolicy(refreshEvery);
            long docs = ingest(sink, refresh, text);
            sink.report(report);
            long tCommit = System.nanoTime();
            c.commit();
            long commitNanos = System.nanoTime() - tCommit;
            refresh.refresh(c);
            double seconds = (System.nanoTime() - start) / 1e9;
            Latencies refreshes = refresh.latencies();
            report.put("collection", collection.toString());
            report.put("input", input);
            report.put("docs", docs);
            report.put("seconds", round(seconds));
            report.put("docs_per_s", round(docs / seconds));
            report.put("commit_ms", round(commitNanos / 1e6));
            report.put("refresh_ms", refreshes.millis());
            report.put("refreshes", refreshes.count());
            CollectionStats atCommit = c.stats();
            report.put("segments", atCommit.segments());
            System.err.printf("lsr index: %,d documents in %.1f s (%.0f docs/s), %d segments, final refresh %.1f ms%n",
                    docs, seconds, docs / seconds, atCommit.segments(), refreshes.percentileNanos(100) / 1e6);
            awaitStructures(c, report, docs, start, seconds, atCommit);
            afterIndexing(c, report);
        }
        if (json != null) {
            JsonReport.write(json, report);
        }
        return ExitCodes.OK;
    }

    /**
     * Text (a file whose first document has no vector, read with --model) goes through the engine,
     * so the collection is the one the service builds from the same documents (model recorded,
     * centring fitted on its own first documents); pre-encoded and generated vectors go straight
     * into the index (--model then only maps token-keyed vectors, and may be a vocab.txt).
     */
    private IndexSink openSink(boolean text) throws Exception {
        boolean exists = Files.exists(collection.resolve("collection.json"));
        CollectionSettings settings = exists ? null : newSettings();
        if (text) {
            return EngineSink.open(collection, model, settings, input, searchThreads, centringFitDocs);
        }
        return VectorSink.open(collection, settings == null || model == null ? settings : settings.withModel(model), searchThreads);
    }

    /**
     * The model directory --model names for text input: a model directory as it is, a model name
     * under the data directory (--data, $LSR_DATA or ./data; the default model is imported there on
     * first use) or an ONNX export (imported there), as lsr encode resolves it.
     */
    private Path resolveModel() throws IOException {
        try (ImportProgressBar bar = new ImportProgressBar()) {
            return new ModelRegistry(data != null ? data : ModelRegistry.defaultDataDir(), bar).resolve(model);
        } catch (ModelFormatException e) {
            throw new ExitCodes.BadInputException("--model " + model + ": " + e.getMessage(), e);
        }
    }

    /** A new collection's settings from --settings and the new-collection options (the model is the sink's to record). */
    private CollectionSettings newSettings() throws Exception {
        CollectionSettings s;
        try {
            s = settingsJson == null ? CollectionSettings.defaults() : SettingsJson.parse(settingsJson);
        } catch (IndexException e) {
            throw new ExitCodes.BadInputException(e.getMessage(), e);
        }
        if (dim != null || settingsJson == null) {
            s = s.withDim(dim != null ? dim : InputDocuments.defaultDim(model));
        }
        if (exactSegmentMaxDocs != null) {
            s = s.withExactSegmentMaxDocs(exactSegmentMaxDocs);
        }
        if (noMerges || maxBufferedDocs != null) {
            WriterSettings w = s.writer();
            s = s.withWriter(new WriterSettings(w.ramBufferMb(), maxBufferedDocs != null ? maxBufferedDocs : w.maxBufferedDocs(),
                    !noMerges && w.merges(), w.segmentsPerTier(), w.floorSegmentMb(), w.buildAtFlush()));
        }
        return s.withRefreshIntervalMs(0);
    }

    /** Writes the input in windows of --batch (WindowedIngest); returns the documents indexed. */
    private long ingest(IndexSink sink, RefreshPolicy refresh, boolean text) throws Exception {
        try (InputDocuments in = InputDocuments.open(input, model, sink.collection().settings().dim(), text)) {
            return new WindowedIngest(batch, filters, quiet).run(sink, in, input, refresh);
        }
    }

    /**
     * The second rate: until every segment has its Seismic structure, committed. A flushed
     * segment at or above exact_segment_max_docs is committed and searchable (exactly) before its
     * structure exists when the collection builds in the background (writer.build_at_flush false,
     * the default); the structures come from singleton build merges on Lucene's merge threads,
     * which also run with --no-merges (they keep every segment's documents, so the segment count
     * --no-merges fixes is unchanged). With build_at_flush the two rates are the same run.
     */
    private static void awaitStructures(Collection c, Map<String, Object> report, long docs, long start, double seconds,
            CollectionStats atCommit) {
        c.awaitBuilds();
        c.commit();
        double structures = (System.nanoTime() - start) / 1e9;
        CollectionStats built = c.stats();
        report.put("build_at_flush", c.settings().writer().buildAtFlush());
        report.put("segments_pending_at_commit", atCommit.pendingSegments());
        report.put("seismic_segments_at_commit", atCommit.seismicSegments());
        report.put("structures_s", round(structures));
        report.put("structures_docs_per_s", round(docs / structures));
        report.put("build_wait_s", round(structures - seconds));
        report.put("seismic_segments", built.seismicSegments());
        System.err.printf("lsr index: every segment's Seismic structure built and committed after %.1f s (%.0f docs/s; "
                + "%d of %d segments were pending at the commit), %d Seismic segments%n", structures, docs / structures,
                atCommit.pendingSegments(), atCommit.segments(), built.seismicSegments());
    }

    /** With --queries, the search benchmark (many segments, then merged to one); else --force-merge. */
    private void afterIndexing(Collection c, Map<String, Object> report) throws Exception {
        if (queries != null) {
            List<SparseVector> qs = InputDocuments.queries(queries, model, c.settings().dim());
            report.put("search", new SearchAfterIndexing(qs, k, warmupMs, filters).run(c));
        } else if (forceMerge != null) {
            HeapPeak peak = HeapPeak.start();
            long tm = System.nanoTime();
            c.forceMerge(forceMerge);
            report.put("force_merge_s", round((System.nanoTime() - tm) / 1e9));
            report.put("force_merge_peak_heap_bytes", peak.bytes());
            report.put("segments_after_merge", c.stats().segments());
        }
    }

    private static double round(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }
}
