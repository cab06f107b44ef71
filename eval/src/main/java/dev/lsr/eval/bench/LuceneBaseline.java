package dev.lsr.eval.bench;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The baseline a Java user would otherwise reach for: the same vectors as Lucene
 * {@link FeatureField} impacts (one field, term = term id, feature value = weight), queried with a
 * disjunction of {@link FeatureField#newLinearQuery} clauses weighted by the query weights, top-k
 * with impacts (block-max WAND). FeatureField keeps about 9 significant bits of each weight; that
 * loss is part of the baseline. Lucene's doc ids are mapped back to ordinals through a doc-values
 * field, outside any timing.
 */
public final class LuceneBaseline implements AutoCloseable {
    static final String FIELD = "v";
    static final String ORD = "ord";

    private final Directory dir;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final long bytes;

    private LuceneBaseline(Directory dir) throws IOException {
        this.dir = dir;
        this.reader = DirectoryReader.open(dir);
        this.searcher = new IndexSearcher(reader);
        long b = 0;
        for (String f : dir.listAll()) {
            b += dir.fileLength(f);
        }
        this.bytes = b;
    }

    /** Indexes every document of {@code forward} with {@code threads} writers, then merges to one segment. */
    public static LuceneBaseline build(ForwardIndex forward, Path path, int threads, IntConsumer progress) throws IOException {
        Files.createDirectories(path);
        Directory dir = FSDirectory.open(path);
        IndexWriterConfig cfg = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setRAMBufferSizeMB(1024);
        try (IndexWriter w = new IndexWriter(dir, cfg)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicInteger next = new AtomicInteger();
            int n = forward.size();
            Runnable task = () -> {
                int from;
                while ((from = next.getAndAdd(1024)) < n) {
                    int to = Math.min(n, from + 1024);
                    for (int d = from; d < to; d++) {
                        try {
                            w.addDocument(document(forward.vector(d), d));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    progress.accept(to - from);
                }
            };
            try {
                var fs = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (int i = 0; i < threads; i++) {
                    fs.add(pool.submit(task));
                }
                for (var f : fs) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("Lucene indexing failed: " + e.getCause().getMessage(), e.getCause());
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(1, TimeUnit.MINUTES);
            }
            w.forceMerge(1);
            w.commit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new LuceneBaseline(dir);
    }

    static Document document(SparseVector v, int ord) {
        Document doc = new Document();
        for (int i = 0; i < v.size(); i++) {
            doc.add(new FeatureField(FIELD, Integer.toString(v.index(i)), v.value(i)));
        }
        doc.add(new NumericDocValuesField(ORD, ord));
        return doc;
    }

    /** The disjunction of linear feature queries, boosted by the query weights. */
    public static Query query(SparseVector q) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (int i = 0; i < q.size(); i++) {
            b.add(FeatureField.newLinearQuery(FIELD, Integer.toString(q.index(i)), q.value(i)), BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    /** Single-threaded top-k (the searcher has no executor). Thread-safe. */
    public TopDocs search(Query q, int k) throws IOException {
        return searcher.search(q, k);
    }

    /** Maps Lucene hits to forward-index ordinals. */
    public int[] ordinals(TopDocs td) throws IOException {
        int[] out = new int[td.scoreDocs.length];
        for (int i = 0; i < out.length; i++) {
            ScoreDoc sd = td.scoreDocs[i];
            LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(sd.doc, reader.leaves()));
            NumericDocValues dv = leaf.reader().getNumericDocValues(ORD);
            if (dv == null || !dv.advanceExact(sd.doc - leaf.docBase)) {
                throw new IllegalStateException("Lucene doc " + sd.doc + " has no ordinal");
            }
            out[i] = (int) dv.longValue();
        }
        return out;
    }

    public long bytes() {
        return bytes;
    }

    public int segments() {
        return reader.leaves().size();
    }

    @Override
    public void close() throws IOException {
        reader.close();
        dir.close();
    }
}
