package dev.lsr.eval.cli;

import dev.lsr.eval.index.DocumentEncoding;
import dev.lsr.eval.index.HeapPeak;
import dev.lsr.eval.index.InputDocuments;
import dev.lsr.eval.index.SegmentBench;
import dev.lsr.eval.report.JsonReport;
import dev.lsr.eval.report.Latencies;
import dev.lsr.index.Collection;
import dev.lsr.index.Document;
import dev.lsr.index.Filter;
import dev.lsr.index.IndexException;
import dev.lsr.index.InvalidDocumentException;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SettingsJson;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr index}: bulk-indexes pre-encoded documents into a collection directory (created when
 * absent), commits, and reports the rate. With {@code --queries}, also measures search latency and
 * recall vs exact on the collection as indexed (many segments) and after merging it to one segment.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Bulk-index pre-encoded vectors (JSONL / JsonVectorCollection / synthetic:N[:seed] / realistic:N[:seed]) or a BEIR corpus "
                + "encoded with --model into a collection.")
public final class IndexCommand implements Callable<Integer> {

    @Option(names = "--collection", required = true, paramLabel = "DIR", description = "collection directory (created if absent)")
    Path collection;

    @Option(names = "--model", paramLabel = "M",
            description = "model name or directory: recorded in a new collection's settings; its vocab.txt/tokenizer.json maps token-keyed vectors")
    String model;

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

    @Option(names = "--no-merges", description = "new collection: keep every flushed segment (forced merges still run)")
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
            + "and, with --queries, also measure filtered search on the merged collection with filters passing 0.1%, 1%, 5%, 20%, 50% and 100%")
    boolean filters;

    /** Filter selectivities of --filters, as fractions of the documents passing. */
    private static final double[] SELECTIVITIES = {0.001, 0.01, 0.05, 0.2, 0.5, 1.0};

    @Option(names = "--settings", paramLabel = "JSON",
            description = "new collection: its settings as the JSON object of collection.json's \"settings\" (the other new-collection options apply on top)")
    String settingsJson;

    @Option(names = "--search-threads", defaultValue = "0",
            description = "search a collection's segments concurrently on this many threads besides the caller's (default ${DEFAULT-VALUE}: sequential)")
    int searchThreads;

    @Option(names = "-k", defaultValue = "10", description = "benchmark: top-k (default ${DEFAULT-VALUE})")
    int k;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new ExitCodes.BadInputException("--batch must be >= 1");
        }
        boolean exists = Files.exists(collection.resolve("collection.json"));
        if (searchThreads < 0) {
            throw new ExitCodes.BadInputException("--search-threads must be >= 0, was " + searchThreads);
        }
        ExecutorService searchPool = searchThreads == 0 ? null : Executors.newFixedThreadPool(searchThreads, r -> {
            Thread t = new Thread(r, "lsr-search");
            t.setDaemon(true);
            return t;
        });
        try {
            return run(exists, searchPool);
        } finally {
            if (searchPool != null) {
                searchPool.shutdownNow();
            }
        }
    }

    private Integer run(boolean exists, ExecutorService searchPool) throws Exception {
        Collection c;
        try {
            if (exists) {
                c = Collection.open(collection, searchPool);
            } else {
                CollectionSettings s = settingsJson == null ? CollectionSettings.defaults() : SettingsJson.parse(settingsJson);
                if (model != null) {
                    s = s.withModel(model);
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
                            !noMerges && w.merges(), w.segmentsPerTier(), w.floorSegmentMb()));
                }
                c = Collection.create(collection, s.withRefreshIntervalMs(0), searchPool);
            }
        } catch (IndexException e) {
            throw new ExitCodes.BadInputException(e.getMessage(), e);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        try (c) {
            int dimension = c.settings().dim();
            Latencies refreshes = new Latencies(64);
            long start = System.nanoTime();
            long docs = 0;
            try (InputDocuments in = InputDocuments.open(input, model, dimension);
                    DocumentEncoding encoding = new DocumentEncoding(model, dimension)) {
                Iterator<Document> it = in.documents();
                List<Document> buffer = new ArrayList<>(batch);
                long read = 0;
                long sinceRefresh = 0;
                long lastLog = start;
                ProgressBar bar = null;
                DocumentEncoding.Window pending = null;
                // Window i+1 is tokenised on the pipeline's helper thread while the model runs window i.
                try {
                    while (it.hasNext() || pending != null) {
                        DocumentEncoding.Window next = null;
                        if (it.hasNext()) {
                            while (it.hasNext() && buffer.size() < batch) {
                                Document d = it.next();
                                buffer.add(filters ? withBucket(d, read) : d);
                                read++;
                            }
                            next = encoding.start(buffer);
                            buffer.clear();
                        }
                        if (pending != null) {
                            if (bar == null && pending.toEncode() > 0 && !quiet) {
                                bar = progressBar(model != null ? InputDocuments.countDocuments(input) : -1, docs).build();
                            }
                            ProgressBar b = bar;
                            List<Document> done = encoding.finish(pending, b == null ? n -> { } : b::stepBy);
                            upsert(c, done);
                            if (b != null) {
                                b.stepBy(pending.size() - pending.toEncode());
                            }
                            docs += done.size();
                            sinceRefresh += done.size();
                            if (refreshEvery > 0 && sinceRefresh >= refreshEvery) {
                                long t = System.nanoTime();
                                c.refresh();
                                refreshes.add(System.nanoTime() - t);
                                sinceRefresh = 0;
                            }
                            if (bar == null && System.nanoTime() - lastLog > 10_000_000_000L) {
                                lastLog = System.nanoTime();
                                System.err.printf("lsr index: %,d documents (%.0f docs/s)%n", docs, docs / ((lastLog - start) / 1e9));
                            }
                        }
                        pending = next;
                    }
                } finally {
                    if (bar != null) {
                        bar.close();
                    }
                }
                if (encoding.encoded() > 0) {
                    report.put("docs_encoded", encoding.encoded());
                    report.put("encode_seconds", round(encoding.seconds()));
                    report.put("encode_docs_per_s", round(encoding.encoded() / encoding.seconds()));
                    report.put("encode_padding_fraction", Math.round(encoding.paddingFraction() * 1e6) / 1e6);
                    report.put("encode_max_tokens", encoding.maxTokens());
                    report.put("docs_truncated", encoding.truncated());
                    report.put("truncated_doc_ids", encoding.truncatedIds());
                    if (encoding.truncated() > 0) {
                        System.err.printf("lsr index: %,d documents were cut at the model's %d tokens (truncated_doc_ids in the --json report)%n",
                                encoding.truncated(), encoding.maxTokens());
                    }
                }
            }
            long tCommit = System.nanoTime();
            c.commit();
            long commitNanos = System.nanoTime() - tCommit;
            long tRefresh = System.nanoTime();
            c.refresh();
            refreshes.add(System.nanoTime() - tRefresh);
            double seconds = (System.nanoTime() - start) / 1e9;
            report.put("collection", collection.toString());
            report.put("input", input);
            report.put("docs", docs);
            report.put("seconds", round(seconds));
            report.put("docs_per_s", round(docs / seconds));
            report.put("commit_ms", round(commitNanos / 1e6));
            report.put("refresh_ms", refreshes.millis());
            report.put("refreshes", refreshes.count());
            report.put("segments", c.stats().segments());
            System.err.printf("lsr index: %,d documents in %.1f s (%.0f docs/s), %d segments, final refresh %.1f ms%n",
                    docs, seconds, docs / seconds, c.stats().segments(), refreshes.percentileNanos(100) / 1e6);

            if (queries != null) {
                List<SparseVector> qs = InputDocuments.queries(queries, model, dimension);
                Map<String, Object> bench = new LinkedHashMap<>();
                bench.put("queries", qs.size());
                bench.put("k", k);
                bench.put("many_segments", SegmentBench.measure(c, qs, k));
                HeapPeak peak = HeapPeak.start();
                long tm = System.nanoTime();
                c.forceMerge(1);
                c.commit();
                bench.put("force_merge_s", round((System.nanoTime() - tm) / 1e9));
                bench.put("force_merge_peak_heap_bytes", peak.bytes());
                bench.put("merged", SegmentBench.measure(c, qs, k));
                if (filters) {
                    Map<String, Object> filtered = new LinkedHashMap<>();
                    for (double s : SELECTIVITIES) {
                        Filter f = Filter.parse("{\"range\": {\"bucket\": {\"lt\": " + Math.round(s * 1000) + "}}}");
                        Map<String, Object> m = SegmentBench.measure(c, qs, k, f);
                        filtered.put(Double.toString(s), m);
                        System.err.println("lsr index: filter passing " + s + ": " + JsonReport.toJson(m));
                    }
                    bench.put("filtered", filtered);
                }
                report.put("search", bench);
                System.err.println("lsr index: search " + JsonReport.toJson(bench));
            } else if (forceMerge != null) {
                HeapPeak peak = HeapPeak.start();
                long tm = System.nanoTime();
                c.forceMerge(forceMerge);
                report.put("force_merge_s", round((System.nanoTime() - tm) / 1e9));
                report.put("force_merge_peak_heap_bytes", peak.bytes());
                report.put("segments_after_merge", c.stats().segments());
            }
        }
        if (json != null) {
            JsonReport.write(json, report);
        }
        return ExitCodes.OK;
    }

    /**
     * Documents indexed so far (encoded ones step per model run), documents/s and the time left;
     * {@code total} < 0 when the input's size is unknown.
     */
    private static ProgressBarBuilder progressBar(long total, long already) {
        return new ProgressBarBuilder()
                .setTaskName("lsr index")
                .setInitialMax(total)
                .startsFrom(already, Duration.ZERO)
                .setUnit(" docs", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.ASCII)
                .continuousUpdate();
    }

    /**
     * The document with metadata {@code bucket} = {@code (position * 7919) mod 1000}: a permutation
     * of 0..999 over every run of 1,000 documents, so a filter "bucket < b" passes b/1000 of every
     * segment, independent of the vectors.
     */
    private static Document withBucket(Document d, long position) {
        Map<String, Object> meta = new LinkedHashMap<>(d.metadata() == null ? Map.of() : d.metadata());
        meta.put("bucket", (int) ((position * 7919) % 1000));
        return new Document(d.id(), d.title(), d.text(), meta, d.vector());
    }

    private static void upsert(Collection c, List<Document> docs) {
        try {
            c.upsert(docs);
        } catch (InvalidDocumentException e) {
            throw new ExitCodes.BadInputException(e.getMessage(), e);
        }
    }

    private static double round(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }
}
