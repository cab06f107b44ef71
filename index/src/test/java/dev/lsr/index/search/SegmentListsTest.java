package dev.lsr.index.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.Document;
import dev.lsr.index.Filter;
import dev.lsr.index.codec.LsrCodec;
import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseBuildConfig;
import dev.lsr.index.write.DocumentMapper;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Segments without a Seismic structure are searched term-at-a-time over their unpruned lists; the
 * hits must be exactly those of the reference scan of the stored vectors
 * ({@link SparseQuery#scanTopDocs}): same documents, same order, bit-identical scores. A real
 * Lucene directory with several small segments and one with a Seismic structure, deletions, empty
 * vectors, broad and selective filters, k from 1 to more than the collection holds, sequential and
 * concurrent segment search.
 */
class SegmentListsTest {

    static final int DIM = 2_000;
    static final int EXACT_SEGMENT_MAX_DOCS = 500;

    @TempDir
    Path tmp;

    @Test
    void listsGiveTheHitsAndScoresOfTheScan() throws Exception {
        DocumentMapper mapper = new DocumentMapper(DIM, JsonMapper.builder().build());
        SplittableRandom rnd = new SplittableRandom(17);
        // Segments of 600 (a Seismic structure), 450, 300, 120 and 7 documents (none).
        int[] sizes = {600, 450, 300, 120, 7};
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Directory dir = FSDirectory.open(tmp)) {
            IndexWriterConfig cfg = new IndexWriterConfig()
                    .setCodec(new LsrCodec(Fields.VECTOR,
                            new SparseBuildConfig(DIM, EXACT_SEGMENT_MAX_DOCS, BuildParams.defaults(), WeightEncoding.F16)))
                    .setMergePolicy(NoMergePolicy.INSTANCE);
            try (IndexWriter w = new IndexWriter(dir, cfg)) {
                int id = 0;
                for (int size : sizes) {
                    for (int i = 0; i < size; i++, id++) {
                        SparseVector v = id % 37 == 36 ? SparseVector.empty() : vector(rnd, 5 + rnd.nextInt(80), DIM);
                        w.addDocument(mapper.toLucene(new Document("d" + id, null, null,
                                Map.of("g", id % 7, "rare", id % 97 == 0), v)));
                    }
                    w.flush();
                }
                for (int d = 0; d < id; d += 11) {
                    w.deleteDocuments(new Term(Fields.ID, "d" + d));
                }
                try (DirectoryReader reader = DirectoryReader.open(w)) {
                    assertThat(reader.leaves()).hasSize(sizes.length);
                    assertThat(reader.numDeletedDocs()).isPositive();
                    IndexSearcher searcher = new IndexSearcher(reader);
                    List<Query> filters = new ArrayList<>();
                    filters.add(null);
                    filters.add(Filter.term("g", 3).query());
                    filters.add(Filter.term("rare", true).query());
                    List<SparseVector> queries = new ArrayList<>();
                    for (int i = 0; i < 30; i++) {
                        // Ids in [DIM, DIM + 40) occur in no document: ignored.
                        queries.add(vector(rnd, 1 + rnd.nextInt(30), DIM + 40));
                    }
                    int checked = 0;
                    for (int k : new int[] {1, 10, 100, 2_000}) {
                        for (Query filter : filters) {
                            for (SparseVector q : queries) {
                                for (boolean exact : new boolean[] {true, false}) {
                                    SparseSearchOptions options = new SparseSearchOptions(exact, 10, 0.8, true, 0, 0.0);
                                    SparseQuery sequential = new SparseQuery(Fields.VECTOR, q, DIM, k, filter, options);
                                    SparseQuery concurrent = new SparseQuery(Fields.VECTOR, q, DIM, k, filter, options,
                                            SegmentSearch.concurrent(pool));
                                    ScoredDocs truth = sequential.scanTopDocs(searcher);
                                    if (exact) {
                                        assertSame(sequential.topDocs(searcher), truth, q, k, filter);
                                        assertSame(concurrent.topDocs(searcher), truth, q, k, filter);
                                    } else {
                                        // Approximate: the Seismic segment may miss hits, the small ones never.
                                        assertSmallSegmentsComplete(sequential.topDocs(searcher), truth, reader);
                                    }
                                    checked++;
                                }
                            }
                        }
                    }
                    assertThat(checked).isEqualTo(4 * 3 * 30 * 2);
                    for (LeafReaderContext ctx : reader.leaves()) {
                        var values = (SparseBinaryDocValues) ctx.reader().getBinaryDocValues(Fields.VECTOR);
                        boolean large = ctx.reader().maxDoc() >= EXACT_SEGMENT_MAX_DOCS;
                        assertThat(values.segment().hasStructure()).isEqualTo(large);
                        assertThat(large || values.segment().listsBuilt())
                                .as("segment of %d documents searched through its lists", ctx.reader().maxDoc()).isTrue();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSame(ScoredDocs got, ScoredDocs truth, SparseVector q, int k, Query filter) {
        String what = "k=" + k + " filter=" + filter + " q=" + q;
        assertThat(got.size()).as("hits, %s", what).isEqualTo(truth.size());
        for (int i = 0; i < truth.size(); i++) {
            assertThat(got.docs()[i]).as("doc %d, %s", i, what).isEqualTo(truth.docs()[i]);
            assertThat(Float.floatToRawIntBits(got.scores()[i])).as("score %d, %s", i, what)
                    .isEqualTo(Float.floatToRawIntBits(truth.scores()[i]));
        }
    }

    /** Every true hit of a segment without a structure that scores above the approximate k-th is found. */
    private static void assertSmallSegmentsComplete(ScoredDocs got, ScoredDocs truth, DirectoryReader reader) {
        Set<Integer> found = new HashSet<>();
        for (int i = 0; i < got.size(); i++) {
            found.add(got.docs()[i]);
        }
        float kth = got.size() == 0 ? Float.NEGATIVE_INFINITY : got.scores()[got.size() - 1];
        for (int i = 0; i < truth.size(); i++) {
            int doc = truth.docs()[i];
            LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
            if (leaf.reader().maxDoc() < EXACT_SEGMENT_MAX_DOCS && truth.scores()[i] > kth) {
                assertThat(found).as("doc %d (score %f) of a small segment", doc, truth.scores()[i]).contains(doc);
            }
        }
    }

    static SparseVector vector(SplittableRandom rnd, int nnz, int dim) {
        int[] ids = new int[nnz];
        for (int i = 0; i < nnz; i++) {
            // Skewed towards low ids: a few long lists, as real vocabularies have.
            double u = rnd.nextDouble();
            ids[i] = (int) (u * u * dim);
        }
        ids = Arrays.stream(ids).distinct().sorted().toArray();
        float[] ws = new float[ids.length];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = 0.01f + 2.5f * (float) Math.pow(rnd.nextDouble(), 3);
        }
        return SparseVector.of(ids, ws, dim);
    }
}
