package dev.lsr.index;

import dev.lsr.index.search.ScoredDocs;
import dev.lsr.index.search.SegmentSearch;
import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.settings.CollectionFile;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.write.DocumentMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.IOUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * One collection: a Lucene index (directory {@code index/}) plus {@code collection.json}. A facade:
 * opening is {@link LuceneIndex}, writes {@link DocumentWrites}, search routing {@link SearchRouter},
 * hits {@link HitBuilder}, document frequencies {@link DocumentFrequencies}, stats
 * {@link StatsReader}, background refresh {@link RefreshScheduler}.
 *
 * <p>Thread-safety: every method may be called from any number of threads at once. Writes become
 * visible to {@link #search}/{@link #get} after the next refresh (every
 * {@code refreshIntervalMs}, or {@link #refresh()}); they are durable once {@link #commit()}
 * returns. {@link #close()} commits.
 */
public final class Collection implements Closeable {

    static final String INDEX_DIR = LuceneIndex.INDEX_DIR;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final Path dir;
    private final CollectionSettings settings;
    private final LuceneIndex lucene;
    private final Failures failures;
    private final Searchers searchers;
    private final DocumentWrites writes;
    private final SearchRouter router;
    private final HitBuilder hitBuilder;
    private final DocumentFrequencies documentFrequencies;
    private final RefreshScheduler refresher;
    private volatile boolean closed;

    private Collection(String name, Path dir, CollectionSettings settings, boolean create,
            UnaryOperator<Directory> directoryWrapper, Executor searchExecutor) {
        this.name = name;
        this.dir = dir;
        this.settings = settings;
        this.lucene = LuceneIndex.open(name, dir, settings, create, directoryWrapper);
        this.failures = new Failures(name, lucene.writer(), () -> closed);
        this.searchers = new Searchers(lucene.searchers(), failures);
        this.writes = new DocumentWrites(lucene.writer(), new DocumentMapper(settings.dim(), JSON), failures);
        this.router = new SearchRouter(settings, new EnglishAnalyzer(), SegmentSearch.concurrent(searchExecutor));
        this.hitBuilder = new HitBuilder(settings.dim(), JSON);
        this.documentFrequencies = new DocumentFrequencies(settings.dim());
        this.refresher = RefreshScheduler.start(name, settings.refreshIntervalMs(), lucene.searchers(), () -> closed);
    }

    /** Creates a collection in {@code dir} (which must not hold one) and opens it. */
    public static Collection create(Path dir, CollectionSettings settings) {
        return create(dir, dir.getFileName().toString(), settings, UnaryOperator.identity());
    }

    /**
     * As {@link #create(Path, CollectionSettings)}, with Lucene's directory wrapped: the seam that
     * fault-injection tests (a disk that fills up) and I/O instrumentation use.
     */
    public static Collection create(Path dir, CollectionSettings settings, UnaryOperator<Directory> directoryWrapper) {
        return create(dir, dir.getFileName().toString(), settings, directoryWrapper);
    }

    /**
     * As {@link #create(Path, CollectionSettings)}, searching segments concurrently on
     * {@code searchExecutor} (null: sequential; the caller owns and sizes it). Results are
     * identical to sequential search.
     */
    public static Collection create(Path dir, CollectionSettings settings, Executor searchExecutor) {
        return create(dir, dir.getFileName().toString(), settings, UnaryOperator.identity(), searchExecutor);
    }

    static Collection create(Path dir, String name, CollectionSettings settings) {
        return create(dir, name, settings, UnaryOperator.identity());
    }

    static Collection create(Path dir, String name, CollectionSettings settings,
            UnaryOperator<Directory> directoryWrapper) {
        return create(dir, name, settings, directoryWrapper, null);
    }

    static Collection create(Path dir, String name, CollectionSettings settings,
            UnaryOperator<Directory> directoryWrapper, Executor searchExecutor) {
        if (Files.exists(dir.resolve(CollectionFile.NAME))) {
            throw new CollectionExistsException("collection '" + name + "' already exists at " + dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IndexException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        // The empty Lucene index is committed first, then collection.json appears atomically:
        // a directory with collection.json always holds a valid index.
        Collection c = new Collection(name, dir, settings, true, directoryWrapper, searchExecutor);
        try {
            c.lucene.writer().commit();
            CollectionFile.write(dir, settings);
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(c);
            throw e instanceof IndexException ie ? ie : new IndexException("cannot create collection at " + dir, e);
        }
        return c;
    }

    /** Opens the collection in {@code dir}. */
    public static Collection open(Path dir) {
        return open(dir, dir.getFileName().toString());
    }

    /** As {@link #open(Path)}, with Lucene's directory wrapped (see {@link #create(Path, CollectionSettings, UnaryOperator)}). */
    public static Collection open(Path dir, UnaryOperator<Directory> directoryWrapper) {
        return open(dir, dir.getFileName().toString(), directoryWrapper);
    }

    /** As {@link #open(Path)}, searching segments concurrently on {@code searchExecutor} (null: sequential). */
    public static Collection open(Path dir, Executor searchExecutor) {
        return open(dir, dir.getFileName().toString(), UnaryOperator.identity(), searchExecutor);
    }

    static Collection open(Path dir, String name) {
        return open(dir, name, UnaryOperator.identity());
    }

    static Collection open(Path dir, String name, UnaryOperator<Directory> directoryWrapper) {
        return open(dir, name, directoryWrapper, null);
    }

    static Collection open(Path dir, String name, UnaryOperator<Directory> directoryWrapper, Executor searchExecutor) {
        if (!Files.isDirectory(dir)) {
            throw new CollectionNotFoundException("collection '" + name + "' does not exist (" + dir + ")");
        }
        return new Collection(name, dir, CollectionFile.read(dir), false, directoryWrapper, searchExecutor);
    }

    /** Whether {@link #close()} was called (or the collection was deleted). */
    public boolean isClosed() {
        return closed;
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return dir;
    }

    public CollectionSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Adds or replaces documents by id. The whole batch is validated before anything is written,
     * so a bad document rejects the batch. When a batch holds the same id more than once, the
     * last occurrence wins. Visible after the next refresh, durable after the next commit.
     *
     * @return the number of distinct documents written
     * @throws InvalidDocumentException naming the document and field
     */
    public int upsert(List<Document> documents) {
        return writes.upsert(documents);
    }

    /** Deletes the document with this id, if any. Visible after refresh, durable after commit. */
    public void delete(String id) {
        writes.delete(id);
    }

    /**
     * Deletes every document the filter matches (visible after a refresh, durable after a commit).
     * Returns how many it matched in a view refreshed just before the delete; a document written
     * concurrently that matches is deleted too and not counted.
     */
    public long deleteByFilter(Filter filter) {
        // Counted on a view refreshed just before, so that documents written but not yet visible count too.
        searchers.refresh();
        long matched = searchers.with("count for delete by filter", s -> (long) s.count(filter.query()));
        writes.deleteByFilter(filter);
        return matched;
    }

    /** Makes all writes so far visible to searches (blocks until done). */
    public void refresh() {
        searchers.refresh();
    }

    /** Makes all writes so far durable: when this returns they survive a crash. */
    public void commit() {
        writes.commit();
    }

    /**
     * {@link #commit()} when anything changed since the last commit (documents, deletes, merges and
     * background structure builds); an idle collection writes nothing. Returns whether it committed.
     */
    public boolean commitIfChanged() {
        return writes.commitIfChanged();
    }

    /**
     * Commits, then copies the files of that commit into {@code target/index} (a directory that must
     * not exist yet) and fsyncs them while writes, flushes and merges go on. Returns the copied
     * file names. The collection's own files beside the index (settings) are the caller's to copy.
     */
    public List<String> snapshotIndex(Path target) {
        commit();
        return IndexSnapshot.copy(name, lucene, target);
    }

    /**
     * Blocks until no segment waits for its Seismic structure: flushed segments at or above
     * {@code exact_segment_max_docs} are written without one and built by a background singleton
     * merge (settings {@code writer.build_at_flush} false, the default); until then they are
     * searched exactly. Waits for every merge running meanwhile, then refreshes, so searches use
     * the structures. Not a commit: the built segments are durable after the next
     * {@link #commit()} (a process stopping before that keeps the exact segments, and their builds
     * are scheduled again when the collection is next opened).
     *
     * @throws IndexException when a round of builds leaves the same segments pending (a build that fails)
     */
    public void awaitBuilds() {
        Set<String> before = null;
        while (true) {
            writes.runScheduledMerges();
            refresh();
            Set<String> pending = searchers.with("await builds",
                    searcher -> StructureBuilds.pendingSegments(searcher.getIndexReader(), settings.exactSegmentMaxDocs()));
            if (pending.isEmpty()) {
                return;
            }
            if (pending.equals(before)) {
                throw new IndexException("collection '" + name + "': the background Seismic builds of segments "
                        + pending + " made no progress");
            }
            before = pending;
        }
    }

    /** Merges down to at most {@code maxSegments} segments (rebuilding their Seismic structures), then refreshes. */
    public void forceMerge(int maxSegments) {
        writes.forceMerge(maxSegments);
        refresh();
    }

    // ---------------------------------------------------------------- reads

    /** Runs a search against the latest refreshed view. */
    public SearchResponse search(SearchRequest request) {
        long start = System.nanoTime();
        List<Hit> hits = searchers.with("search", searcher -> {
            ScoredDocs top = router.route(searcher, request);
            return hitBuilder.hits(searcher, request, top);
        });
        return new SearchResponse(hits, request.mode(), (System.nanoTime() - start) / 1000);
    }

    /** The Lucene query a sparse request runs (for callers composing their own Lucene searches). */
    public SparseQuery sparseQuery(SearchRequest request, int k) {
        return router.sparseQuery(request, k);
    }

    /** The document with this id (with its vector) as of the latest refresh. */
    public Optional<Document> get(String id) {
        return searchers.with("get", searcher -> hitBuilder.get(searcher, id));
    }

    /**
     * Identifies the latest refreshed view: a new value whenever a refresh made writes, deletions
     * or merges visible (Lucene's reader version). Cheap (no file system access, unlike
     * {@link #stats()}), for callers that cache something derived from the documents.
     */
    public long viewVersion() {
        return searchers.with("view version", searcher ->
                searcher.getIndexReader() instanceof DirectoryReader r ? r.getVersion() : -1L);
    }

    public CollectionStats stats() {
        return searchers.with("stats", searcher ->
                StatsReader.of(name, settings, searcher.getIndexReader(), lucene.directory()));
    }

    /**
     * Number of documents containing each term id (length {@code dim}), as of the latest
     * refresh. Approximate: deleted documents count until their segment is merged. Computed once
     * per segment and cached, so repeated calls cost one pass over new segments only.
     */
    public int[] documentFrequencies() {
        return searchers.with("document frequencies", searcher -> documentFrequencies.of(searcher.getIndexReader()));
    }

    /**
     * True when Lucene's writer gave up after an I/O failure it cannot roll back in place (disk
     * full or an I/O error during flush, merge or commit): this handle takes no more writes, and
     * reopening the collection recovers it from its last commit ({@link Collections#get} does so).
     */
    public boolean failed() {
        return failures.writerFailed();
    }

    /** Stops background refresh, commits, and releases the write lock. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        refresher.close();
        try {
            lucene.close();
        } catch (IOException e) {
            throw new IndexException("collection '" + name + "': close failed: " + e.getMessage(), e);
        }
    }
}
