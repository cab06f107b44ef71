package dev.lsr.opensearch.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.codec.SparseBuildConfig;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.search.SparseSearchOptions;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;
import java.nio.file.Path;
import java.util.Random;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.Field;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's codec on a plain Lucene index: the mapped field's segments get a Seismic structure,
 * other fields keep the engine codec's formats, and a reader that knows nothing of the mapping
 * (Lucene resolving the codec by its SPI name) opens and searches them.
 */
class LsrOpenSearchCodecTest {

    private static final int DIM = 500;

    @Test
    void mappedFieldGetsSeismicStructureAndSpiReaderSearchesIt(@TempDir Path dir) throws Exception {
        SparseBuildConfig config = new SparseBuildConfig(DIM, 50, BuildParams.defaults(), WeightEncoding.F16);
        Codec codec = new LsrOpenSearchCodec(Codec.getDefault(), field -> field.equals("vec") ? config : null);
        Random r = new Random(1);
        SparseVector[] vectors = new SparseVector[400];
        try (Directory d = FSDirectory.open(dir);
                IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setCodec(codec).setUseCompoundFile(true))) {
            for (int i = 0; i < vectors.length; i++) {
                int[] ids = r.ints(0, DIM).distinct().limit(15).toArray();
                float[] ws = new float[ids.length];
                for (int j = 0; j < ws.length; j++) {
                    ws[j] = 0.1f + r.nextFloat();
                }
                vectors[i] = SparseVector.ofUnsorted(ids, ws, DIM);
                Document doc = new Document();
                doc.add(new StringField("id", "d" + i, Field.Store.YES));
                doc.add(new BinaryDocValuesField("vec", VectorBytes.encode(vectors[i])));
                doc.add(new BinaryDocValuesField("other", VectorBytes.encode(vectors[i])));
                w.addDocument(doc);
            }
            w.commit();
        }
        try (Directory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                SegmentReader segment = (SegmentReader) FilterLeafReader.unwrap(leaf.reader());
                assertThat(segment.getSegmentInfo().info.getCodec().getName()).isEqualTo(LsrOpenSearchCodec.NAME);
                assertThat(segment.getBinaryDocValues("vec")).isInstanceOf(SparseBinaryDocValues.class);
                assertThat(((SparseBinaryDocValues) segment.getBinaryDocValues("vec")).segment().hasStructure()).isTrue();
                assertThat(segment.getBinaryDocValues("other")).isNotInstanceOf(SparseBinaryDocValues.class);
            }
            IndexSearcher searcher = new IndexSearcher(reader);
            SparseVector q = vectors[7].topK(5);
            SparseSearchOptions exact = new SparseSearchOptions(true, 10, 0.9, true, 0, 0);
            TopDocs top = searcher.search(new SparseQuery("vec", q, DIM, 5, null, exact), 5);
            float best = 0f;
            int bestDoc = -1;
            for (int i = 0; i < vectors.length; i++) {
                float s = q.dot(vectors[i]);
                if (s > best) {
                    best = s;
                    bestDoc = i;
                }
            }
            ScoreDoc first = top.scoreDocs[0];
            assertThat(reader.storedFields().document(first.doc).get("id")).isEqualTo("d" + bestDoc);
            assertThat(first.score).isEqualTo(best);
        }
    }
}
