package dev.lsr.index;

import dev.lsr.index.codec.LsrCodec;
import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseBuildConfig;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.index.search.Explanations;
import dev.lsr.index.search.Fusions;
import dev.lsr.index.search.ScoredDocs;
import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.search.SparseSearchOptions;
import dev.lsr.index.settings.CollectionFile;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.write.DocumentMapper;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.QueryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One collection: a Lucene index (directory {@code index/}) plus {@code collection.json}.
 *
 * <p>Thread-safety: every method may be called from any number of threads at once. Writes become
 * visible to {@link #search}/{@link #get} after the next refresh (every
 * {@code refreshIntervalMs}, or {@link #refresh()}); they are durable once {@link #commit()}
 * returns. {@link #close()} commits.
 */
public final class Collection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Collection.class);
    static final String INDEX_DIR = "index";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final String name;
    private final Path dir;
    private final CollectionSettings settings;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ScheduledExecutorService refresher;
    private final Analyzer analyzer;
    private final DocumentMapper mapper;
    private final Map<Object, int[]> documentFrequencyCache = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private Collection(String name, Path dir, CollectionSettings settings, boolean create,
            UnaryOperator<Directory> directoryWrapper) {
        this.name = name;
        this.dir = dir;
        this.settings = settings;
        this.analyzer = new EnglishAnalyzer();
        this.mapper = new DocumentMapper(settings.dim(), JSON);
        Directory d = null;
        IndexWriter w = null;
        SearcherManager m = null;
        boolean success = false;
        try {
            d = directoryWrapper.apply(FSDirectory.open(dir.resolve(INDEX_DIR)));
            w = new IndexWriter(d, writerConfig(settings, create));
            BM25Similarity similarity = similarity(settings);
            m = new SearcherManager(w, true, false, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader,
                        org.apache.lucene.index.IndexReader previous) {
                    IndexSearcher s = new IndexSearcher(reader);
                    s.setSimilarity(similarity);
                    return s;
                }
            });
            verifyChecksums(m);
            success = true;
        } catch (LockObtainFailedException e) {
            throw new CollectionLockedException("collection '" + name + "' is open in another process (or another "
                    + "Collections instance of this one): " + dir.resolve(INDEX_DIR).resolve(IndexWriter.WRITE_LOCK_NAME), e);
        } catch (CorruptIndexException e) {
            throw new IndexException("collection '" + name + "' at " + dir + " is damaged (restore it from a copy): "
                    + e.getMessage(), e);
        } catch (IndexFormatTooOldException | IndexFormatTooNewException | IndexNotFoundException e) {
            throw new IncompatibleCollectionException("collection '" + name + "' at " + dir
                    + " cannot be opened by this build: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Lucene reports an unknown codec or format name (a newer or foreign writer) this way.
            throw new IncompatibleCollectionException("collection '" + name + "' at " + dir
                    + " was written with formats this build does not have: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IndexException("cannot open collection '" + name + "' at " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!success) {
                IOUtils.closeWhileHandlingException(m, w, d);
            }
        }
        this.directory = d;
        this.writer = w;
        this.searchers = m;
        long interval = settings.refreshIntervalMs();
        if (interval > 0) {
            this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lsr-refresh-" + name);
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(this::backgroundRefresh, interval, interval, TimeUnit.MILLISECONDS);
        } else {
            this.refresher = null;
        }
    }

    /**
     * Lucene checks only headers and footers when it opens a segment; a flipped byte inside a file
     * would surface later as wrong results or a failed merge. Reading every file's checksum once
     * on open (sequential, memory-mapped) refuses a damaged collection up front, naming the file.
     */
    private static void verifyChecksums(SearcherManager m) throws IOException {
        IndexSearcher s = m.acquire();
        try {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                leaf.reader().checkIntegrity();
            }
        } finally {
            m.release(s);
        }
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

    static Collection create(Path dir, String name, CollectionSettings settings) {
        return create(dir, name, settings, UnaryOperator.identity());
    }

    static Collection create(Path dir, String name, CollectionSettings settings,
            UnaryOperator<Directory> directoryWrapper) {
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
        Collection c = new Collection(name, dir, settings, true, directoryWrapper);
        try {
            c.writer.commit();
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

    static Collection open(Path dir, String name) {
        return open(dir, name, UnaryOperator.identity());
    }

    static Collection open(Path dir, String name, UnaryOperator<Directory> directoryWrapper) {
        if (!Files.isDirectory(dir)) {
            throw new CollectionNotFoundException("collection '" + name + "' does not exist (" + dir + ")");
        }
        return new Collection(name, dir, CollectionFile.read(dir), false, directoryWrapper);
    }

    private static IndexWriterConfig writerConfig(CollectionSettings s, boolean create) {
        IndexWriterConfig c = new IndexWriterConfig(new EnglishAnalyzer());
        c.setOpenMode(create ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.APPEND);
        c.setCodec(new LsrCodec(Fields.VECTOR, new SparseBuildConfig(s.dim(), s.exactSegmentMaxDocs(),
                s.seismic().buildParams(), s.seismic().encoding())));
        c.setSimilarity(similarity(s));
        c.setRAMBufferSizeMB(s.writer().ramBufferMb());
        if (s.writer().maxBufferedDocs() > 0) {
            c.setMaxBufferedDocs(s.writer().maxBufferedDocs());
        }
        c.setMergePolicy(s.writer().merges() ? new TieredMergePolicy() : new ForcedMergesOnly(new TieredMergePolicy()));
        c.setCommitOnClose(true);
        // Keeps a commit's files while a snapshot copies them (Lucene's default policy otherwise).
        c.setIndexDeletionPolicy(new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy()));
        return c;
    }

    /** No merges of its own accord (keeps every flushed segment), but {@link #forceMerge} still works. */
    private static final class ForcedMergesOnly extends FilterMergePolicy {
        ForcedMergesOnly(MergePolicy in) {
            super(in);
        }

        @Override
        public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context) {
            return null;
        }

        @Override
        public MergeSpecification findFullFlushMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context) {
            return null;
        }
    }

    private static BM25Similarity similarity(CollectionSettings s) {
        return new BM25Similarity(s.bm25().k1().floatValue(), s.bm25().b().floatValue());
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
        ensureOpen();
        Map<String, org.apache.lucene.document.Document> byId = new LinkedHashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            Document d = documents.get(i);
            if (d == null) {
                throw new InvalidDocumentException("document at position " + i + " is null");
            }
            byId.remove(d.id());
            byId.put(d.id(), mapper.toLucene(d));
        }
        try {
            for (Map.Entry<String, org.apache.lucene.document.Document> e : byId.entrySet()) {
                writer.updateDocument(new Term(Fields.ID, e.getKey()), e.getValue());
            }
        } catch (IOException | AlreadyClosedException e) {
            throw failure("upsert", e);
        }
        return byId.size();
    }

    /** Deletes the document with this id, if any. Visible after refresh, durable after commit. */
    public void delete(String id) {
        ensureOpen();
        try {
            writer.deleteDocuments(new Term(Fields.ID, id));
        } catch (IOException | AlreadyClosedException e) {
            throw failure("delete", e);
        }
    }

    /** Deletes every document the filter matches. */
    public void deleteByFilter(Filter filter) {
        ensureOpen();
        try {
            writer.deleteDocuments(filter.query());
        } catch (IOException | AlreadyClosedException e) {
            throw failure("delete by filter", e);
        }
    }

    /** Makes all writes so far visible to searches (blocks until done). */
    public void refresh() {
        ensureOpen();
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException | AlreadyClosedException e) {
            throw failure("refresh", e);
        }
    }

    /** Makes all writes so far durable: when this returns they survive a crash. */
    public void commit() {
        ensureOpen();
        try {
            writer.commit();
        } catch (IOException | AlreadyClosedException e) {
            throw failure("commit", e);
        }
    }

    /**
     * Commits, then copies the files of that commit into {@code target/index} (a directory that must
     * not exist yet) and fsyncs them, while writes, flushes and merges go on: the commit's files are
     * held by a {@link SnapshotDeletionPolicy} until the copy is done. Returns the copied file names.
     * The collection's own files beside the index (settings) are the caller's to copy.
     */
    public List<String> snapshotIndex(Path target) {
        ensureOpen();
        commit();
        SnapshotDeletionPolicy policy = (SnapshotDeletionPolicy) writer.getConfig().getIndexDeletionPolicy();
        IndexCommit commit;
        try {
            commit = policy.snapshot();
        } catch (IOException | IllegalStateException e) {
            throw new IndexException("cannot snapshot collection '" + name + "': " + e.getMessage(), e);
        }
        try {
            Path out = target.resolve(INDEX_DIR);
            if (Files.exists(out)) {
                throw new IndexException("snapshot target " + out + " already exists");
            }
            List<String> files = List.copyOf(commit.getFileNames());
            try (Directory copy = FSDirectory.open(out)) {
                for (String f : files) {
                    copy.copyFrom(directory, f, f, IOContext.DEFAULT);
                }
                copy.sync(files);
                copy.syncMetaData();
            }
            return files;
        } catch (IOException e) {
            throw new IndexException("cannot snapshot collection '" + name + "' into " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                policy.release(commit);
                writer.deleteUnusedFiles();
            } catch (IOException | AlreadyClosedException e) {
                // The files are deleted at the next commit instead.
            }
        }
    }

    /** Merges down to at most {@code maxSegments} segments (rebuilding their Seismic structures), then refreshes. */
    public void forceMerge(int maxSegments) {
        ensureOpen();
        try {
            writer.forceMerge(maxSegments, true);
        } catch (IOException | AlreadyClosedException e) {
            throw failure("force merge", e);
        }
        refresh();
    }

    private void backgroundRefresh() {
        try {
            if (!closed) {
                searchers.maybeRefresh();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("collection '{}': background refresh failed: {}", name, e.toString());
        }
    }

    // ---------------------------------------------------------------- reads

    /** Runs a search against the latest refreshed view. */
    public SearchResponse search(SearchRequest request) {
        ensureOpen();
        long start = System.nanoTime();
        IndexSearcher searcher = acquire();
        try {
            ScoredDocs top = switch (request.mode()) {
                case APPROXIMATE, EXACT -> sparse(searcher, request, request.k());
                case BM25 -> bm25(searcher, request, request.k());
                case HYBRID -> Fusions.fuse(request.fusion(),
                        sparse(searcher, request.withMode(SearchMode.APPROXIMATE), request.candidates()),
                        bm25(searcher, request, request.candidates()), request.k());
            };
            List<Hit> hits = new ArrayList<>(top.size());
            StoredFields stored = searcher.storedFields();
            if (!request.storedFields() && !request.explain()) {
                String[] ids = idsOf(searcher, stored, top.docs(), top.size());
                for (int i = 0; i < top.size(); i++) {
                    hits.add(new Hit(ids[i], top.scores()[i], null, null, null, null));
                }
                return new SearchResponse(hits, request.mode(), (System.nanoTime() - start) / 1000);
            }
            for (int i = 0; i < top.size(); i++) {
                int doc = top.docs()[i];
                org.apache.lucene.document.Document d = stored.document(doc);
                List<TermContribution> explanation = null;
                if (request.explain()) {
                    explanation = request.vector() == null
                            ? List.of()
                            : Explanations.contributions(request.vector(), vectorOf(searcher, doc));
                }
                hits.add(new Hit(d.get(Fields.ID), top.scores()[i], d.get(Fields.TITLE), d.get(Fields.TEXT),
                        metadataOf(d), explanation));
            }
            return new SearchResponse(hits, request.mode(), (System.nanoTime() - start) / 1000);
        } catch (IOException | AlreadyClosedException e) {
            throw failure("search", e);
        } finally {
            release(searcher);
        }
    }

    /**
     * The hits' ids from their doc values, visited in doc order so that each segment's values are
     * opened once; from the stored fields in segments written before the doc value existed.
     */
    private static String[] idsOf(IndexSearcher searcher, StoredFields stored, int[] docs, int n) throws IOException {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> docs[i]));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        String[] out = new String[n];
        int leafIndex = -1;
        LeafReaderContext leaf = null;
        BinaryDocValues ids = null;
        for (int i : order) {
            int doc = docs[i];
            int li = ReaderUtil.subIndex(doc, leaves);
            if (li != leafIndex) {
                leafIndex = li;
                leaf = leaves.get(li);
                ids = leaf.reader().getBinaryDocValues(Fields.ID_VALUES);
            }
            out[i] = ids != null && ids.advanceExact(doc - leaf.docBase)
                    ? ids.binaryValue().utf8ToString()
                    : stored.document(doc, Set.of(Fields.ID)).get(Fields.ID);
        }
        return out;
    }

    /** The Lucene query a sparse request runs (for callers composing their own Lucene searches). */
    public SparseQuery sparseQuery(SearchRequest request, int k) {
        return new SparseQuery(Fields.VECTOR, request.vector(), settings.dim(), k,
                request.filter() == null ? null : request.filter().query(),
                new SparseSearchOptions(request.mode() == SearchMode.EXACT,
                        request.queryCut() != null ? request.queryCut() : settings.search().queryCut(),
                        request.heapFactor() != null ? request.heapFactor() : settings.search().heapFactor(),
                        settings.search().knn(),
                        settings.filterExactMaxDocs(), settings.filterExactFraction()));
    }

    private ScoredDocs sparse(IndexSearcher searcher, SearchRequest request, int k) throws IOException {
        return sparseQuery(request, k).topDocs(searcher);
    }

    private ScoredDocs bm25(IndexSearcher searcher, SearchRequest request, int k) throws IOException {
        QueryBuilder builder = new QueryBuilder(analyzer);
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        for (String field : new String[] {Fields.TITLE, Fields.TEXT}) {
            Query q = builder.createBooleanQuery(field, request.text());
            if (q != null) {
                text.add(q, BooleanClause.Occur.SHOULD);
            }
        }
        Query query = text.build();
        if (request.filter() != null) {
            query = new BooleanQuery.Builder()
                    .add(query, BooleanClause.Occur.MUST)
                    .add(request.filter().query(), BooleanClause.Occur.FILTER)
                    .build();
        }
        TopDocs td = searcher.search(query, k);
        int[] docs = new int[td.scoreDocs.length];
        float[] scores = new float[docs.length];
        for (int i = 0; i < docs.length; i++) {
            ScoreDoc sd = td.scoreDocs[i];
            docs[i] = sd.doc;
            scores[i] = sd.score;
        }
        return new ScoredDocs(docs, scores);
    }

    private SparseVector vectorOf(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues values = leaf.reader().getBinaryDocValues(Fields.VECTOR);
        if (values == null || !values.advanceExact(doc - leaf.docBase)) {
            return SparseVector.empty();
        }
        return VectorBytes.decode(values.binaryValue(), settings.dim());
    }

    private static Map<String, Object> metadataOf(org.apache.lucene.document.Document d) {
        String json = d.get(Fields.METADATA);
        return json == null ? Map.of() : JSON.readValue(json, MAP);
    }

    /** The document with this id (with its vector) as of the latest refresh. */
    public Optional<Document> get(String id) {
        ensureOpen();
        IndexSearcher searcher = acquire();
        try {
            TopDocs td = searcher.search(new TermQuery(new Term(Fields.ID, id)), 1);
            if (td.scoreDocs.length == 0) {
                return Optional.empty();
            }
            int doc = td.scoreDocs[0].doc;
            org.apache.lucene.document.Document d = searcher.storedFields().document(doc);
            return Optional.of(new Document(d.get(Fields.ID), d.get(Fields.TITLE), d.get(Fields.TEXT),
                    metadataOf(d), vectorOf(searcher, doc)));
        } catch (IOException | AlreadyClosedException e) {
            throw failure("get", e);
        } finally {
            release(searcher);
        }
    }

    public CollectionStats stats() {
        ensureOpen();
        IndexSearcher searcher = acquire();
        try {
            org.apache.lucene.index.IndexReader reader = searcher.getIndexReader();
            int seismic = 0;
            for (LeafReaderContext leaf : reader.leaves()) {
                if (leaf.reader().getBinaryDocValues(Fields.VECTOR) instanceof SparseBinaryDocValues s
                        && s.segment().hasStructure()) {
                    seismic++;
                }
            }
            long bytes = 0;
            for (String file : directory.listAll()) {
                try {
                    bytes += directory.fileLength(file);
                } catch (NoSuchFileException e) {
                    // Deleted by a merge while we listed: not part of the index any more.
                }
            }
            return new CollectionStats(name, settings.model(), settings.dim(), reader.numDocs(),
                    reader.numDeletedDocs(), reader.leaves().size(), seismic, bytes);
        } catch (IOException | AlreadyClosedException e) {
            throw failure("stats", e);
        } finally {
            release(searcher);
        }
    }

    /**
     * Number of documents containing each term id (length {@code dim}), as of the latest
     * refresh. Approximate: deleted documents count until their segment is merged. Computed once
     * per segment and cached, so repeated calls cost one pass over new segments only.
     */
    public int[] documentFrequencies() {
        ensureOpen();
        IndexSearcher searcher = acquire();
        try {
            int[] total = new int[settings.dim()];
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                int[] df = segmentFrequencies(leaf.reader());
                for (int t = 0; t < total.length; t++) {
                    total[t] += df[t];
                }
            }
            return total;
        } catch (IOException | AlreadyClosedException e) {
            throw failure("document frequencies", e);
        } finally {
            release(searcher);
        }
    }

    private int[] segmentFrequencies(LeafReader reader) throws IOException {
        org.apache.lucene.index.IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
        int[] cached = helper == null ? null : documentFrequencyCache.get(helper.getKey());
        if (cached != null) {
            return cached;
        }
        int[] df = new int[settings.dim()];
        BinaryDocValues values = reader.getBinaryDocValues(Fields.VECTOR);
        if (values != null) {
            org.apache.lucene.store.ByteArrayDataInput in = new org.apache.lucene.store.ByteArrayDataInput();
            for (int doc = values.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
                    doc = values.nextDoc()) {
                var b = values.binaryValue();
                in.reset(b.bytes, b.offset, b.length);
                int n = in.readVInt();
                int id = 0;
                for (int i = 0; i < n; i++) {
                    id += in.readVInt();
                    in.skipBytes(Float.BYTES);
                    df[id]++;
                }
            }
        }
        if (helper != null && documentFrequencyCache.putIfAbsent(helper.getKey(), df) == null) {
            helper.addClosedListener(documentFrequencyCache::remove);
        }
        return df;
    }

    private IndexSearcher acquire() {
        try {
            return searchers.acquire();
        } catch (IOException | AlreadyClosedException e) {
            throw failure("acquire searcher", e);
        }
    }

    private void release(IndexSearcher searcher) {
        try {
            searchers.release(searcher);
        } catch (IOException e) {
            throw failure("release searcher", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IndexException("collection '" + name + "' is closed");
        }
    }

    /**
     * True when Lucene's writer gave up after an I/O failure it cannot roll back in place (disk
     * full or an I/O error during flush, merge or commit): this handle takes no more writes, and
     * reopening the collection recovers it from its last commit ({@link Collections#get} does so).
     */
    public boolean failed() {
        return writer.getTragicException() != null;
    }

    private IndexException failure(String what, Exception e) {
        Throwable tragic = writer.getTragicException();
        if (tragic != null && !closed) {
            return new IndexException("collection '" + name + "': " + what + " failed: writes stopped after a storage failure ("
                    + tragic.getMessage() + "); the collection reopens from its last commit on next use", e);
        }
        if (closed || e instanceof AlreadyClosedException) {
            return new IndexException("collection '" + name + "' is closed (" + what + ")", e);
        }
        return new IndexException("collection '" + name + "': " + what + " failed: " + e.getMessage(), e);
    }

    /** Stops background refresh, commits, and releases the write lock. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
            try {
                refresher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            IOUtils.close(searchers, writer, directory);
        } catch (IOException e) {
            throw new IndexException("collection '" + name + "': close failed: " + e.getMessage(), e);
        }
    }
}
