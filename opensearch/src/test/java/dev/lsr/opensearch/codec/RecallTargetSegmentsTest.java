package dev.lsr.opensearch.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseBuildConfig;
import dev.lsr.index.codec.SparseSegment;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.search.SparseSearchOptions;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapping's {@code recall_target}: each segment is built by seismic-blocks' tuner and keeps
 * the search setting measured for it, which a query that names no setting then uses.
 */
class RecallTargetSegmentsTest {

    private static final int DIM = 2000;
    private static final int DOCS = 4000;
    private static final int K = 10;

    /** Clustered vectors as in the cluster test: most terms from the document's topic pool. */
    private static SparseVector vector(Random r, int terms, float minWeight) {
        int topic = r.nextInt(20);
        Set<Integer> ids = new HashSet<>();
        while (ids.size() < terms) {
            ids.add(r.nextInt(4) == 0 ? r.nextInt(DIM) : topic * 100 + r.nextInt(100));
        }
        int[] i = ids.stream().mapToInt(Integer::intValue).toArray();
        float[] w = new float[i.length];
        for (int j = 0; j < w.length; j++) {
            w[j] = minWeight + 2.5f * r.nextFloat();
        }
        return SparseVector.ofUnsorted(i, w, DIM);
    }

    private static void index(Path dir, SparseBuildConfig config) throws IOException {
        Codec codec = new LsrOpenSearchCodec(Codec.getDefault(), field -> field.equals("vec") ? config : null);
        Random r = new Random(3);
        try (Directory d = FSDirectory.open(dir);
                IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setCodec(codec))) {
            for (int i = 0; i < DOCS; i++) {
                Document doc = new Document();
                doc.add(new BinaryDocValuesField("vec", VectorBytes.encode(vector(r, 20 + r.nextInt(30), 0.05f))));
                w.addDocument(doc);
            }
            w.forceMerge(1);
            w.commit();
        }
    }

    private static SparseSegment segmentOf(DirectoryReader reader) throws IOException {
        LeafReaderContext leaf = reader.leaves().getFirst();
        return ((SparseBinaryDocValues) leaf.reader().getBinaryDocValues("vec")).segment();
    }

    /** Mean recall@10 of {@code options} against an exact scan over held-out queries. */
    private static double recall(IndexSearcher searcher, SparseSearchOptions options) throws IOException {
        Random r = new Random(11);
        SparseSearchOptions exact = new SparseSearchOptions(true, 10, 1.0, false, 0, 0);
        long found = 0;
        long total = 0;
        for (int q = 0; q < 100; q++) {
            SparseVector query = vector(r, 12, 0.1f);
            TopDocs truth = searcher.search(new SparseQuery("vec", query, DIM, K, null, exact), K);
            TopDocs got = searcher.search(new SparseQuery("vec", query, DIM, K, null, options), K);
            Set<Integer> want = new HashSet<>();
            for (ScoreDoc sd : truth.scoreDocs) {
                want.add(sd.doc);
            }
            for (ScoreDoc sd : got.scoreDocs) {
                if (want.contains(sd.doc)) {
                    found++;
                }
            }
            total += truth.scoreDocs.length;
        }
        return found / (double) total;
    }

    @Test
    void tunedSegmentsKeepTheirSettingAndQueriesWithoutOneUseIt(@TempDir Path dir) throws Exception {
        SparseBuildConfig config = new SparseBuildConfig(DIM, 100, BuildParams.defaults(), WeightEncoding.F16)
                .withRecallTarget(0.95);
        index(dir, config);
        try (Directory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
            SparseSegment segment = segmentOf(reader);
            assertThat(segment.hasStructure()).isTrue();
            assertThat(segment.tunedQueryCut()).isPositive();
            assertThat(segment.tunedHeapFactor()).isBetween(0f, 1f);
            IndexSearcher searcher = new IndexSearcher(reader);
            // A deliberately poor explicit setting (one list, most aggressive skipping): the
            // tuned segment's own setting replaces it only when the query asks for it.
            SparseSearchOptions poor = new SparseSearchOptions(false, 1, 1.0, false, 0, 0, false);
            SparseSearchOptions tuned = new SparseSearchOptions(false, 1, 1.0, false, 0, 0, true);
            double poorRecall = recall(searcher, poor);
            double tunedRecall = recall(searcher, tuned);
            System.out.printf("recall_target 0.95: tuned query_cut %d heap_factor %.2f, held-out recall@10 %.3f"
                    + " (explicit query_cut 1: %.3f)%n", segment.tunedQueryCut(), segment.tunedHeapFactor(), tunedRecall,
                    poorRecall);
            // The tuner aims at target + 0.02 on pseudo-queries drawn from the documents; held-out
            // queries track it within a few points (seismic-blocks README), hence 0.9 here.
            assertThat(tunedRecall).isGreaterThanOrEqualTo(0.9);
            assertThat(tunedRecall).isGreaterThan(poorRecall);
        }
    }

    @Test
    void withoutRecallTargetSegmentsCarryNoTunedSetting(@TempDir Path dir) throws Exception {
        index(dir, new SparseBuildConfig(DIM, 100, BuildParams.defaults(), WeightEncoding.F16));
        try (Directory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
            SparseSegment segment = segmentOf(reader);
            assertThat(segment.hasStructure()).isTrue();
            assertThat(segment.tunedQueryCut()).isZero();
        }
    }
}
