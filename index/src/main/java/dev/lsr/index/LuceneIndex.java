package dev.lsr.index;

import dev.lsr.index.codec.CollectionSize;
import dev.lsr.index.settings.CollectionSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;

/**
 * The Lucene side of an open collection: its directory, the one writer, and the near-real-time
 * searcher manager. {@link #open} translates every way opening can fail into the collection's
 * own errors (locked, damaged, incompatible).
 */
record LuceneIndex(Directory directory, IndexWriter writer, SearcherManager searchers) implements AutoCloseable {

    static final String INDEX_DIR = "index";

    static LuceneIndex open(String name, Path dir, CollectionSettings settings, boolean create,
            UnaryOperator<Directory> directoryWrapper) {
        Directory d = null;
        IndexWriter w = null;
        SearcherManager m = null;
        boolean success = false;
        try {
            d = directoryWrapper.apply(FSDirectory.open(dir.resolve(INDEX_DIR)));
            CollectionSize size = new CollectionSize();
            w = new IndexWriter(d, WriterConfiguration.of(settings, create, size));
            size.bind(w::getPendingNumDocs);
            BM25Similarity similarity = WriterConfiguration.similarity(settings);
            m = new SearcherManager(w, true, false, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                    IndexSearcher s = new IndexSearcher(reader);
                    s.setSimilarity(similarity);
                    return s;
                }
            });
            verifyChecksums(m);
            // Segments left pending by a process that stopped before their background builds
            // committed (still valid exact segments) get their builds scheduled again now.
            w.maybeMerge();
            success = true;
            return new LuceneIndex(d, w, m);
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

    @Override
    public void close() throws IOException {
        IOUtils.close(searchers, writer, directory);
    }
}
