package dev.lsr.index.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.Document;
import dev.lsr.index.search.ScoredDocs;
import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.search.SparseSearchOptions;
import dev.lsr.index.write.DocumentMapper;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The codec at the Lucene level: files belong to segments, and SparseQuery is a normal Lucene query. */
class SparseCodecTest {

    static final int DIM = 500;

    @TempDir
    Path tmp;

    static SparseVector vector(SplittableRandom rnd) {
        int[] ids = rnd.ints(0, DIM).distinct().limit(12).sorted().toArray();
        float[] ws = new float[ids.length];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = 0.1f + (float) rnd.nextDouble();
        }
        return SparseVector.of(ids, ws, DIM);
    }

    @Test
    void sparseFilesAreSegmentFilesAndQueryComposes() throws Exception {
        DocumentMapper mapper = new DocumentMapper(DIM, JsonMapper.builder().build());
        SplittableRandom rnd = new SplittableRandom(5);
        try (Directory dir = FSDirectory.open(tmp)) {
            IndexWriterConfig cfg = new IndexWriterConfig()
                    .setCodec(new LsrCodec(Fields.VECTOR, new SparseBuildConfig(DIM, 0, dev.lsr.seismic.build.BuildParams.defaults(), dev.lsr.seismic.forward.WeightEncoding.F16)))
                    .setMaxBufferedDocs(30);
            try (IndexWriter w = new IndexWriter(dir, cfg)) {
                for (int i = 0; i < 200; i++) {
                    w.addDocument(mapper.toLucene(new Document("d" + i, null, "t", Map.of("k", "v" + (i % 2)), vector(rnd))));
                }
                w.commit();
                SegmentInfos infos = SegmentInfos.readLatestCommit(dir);
                assertThat(infos.size()).isGreaterThan(1);
                for (SegmentCommitInfo si : infos) {
                    List<String> files = List.copyOf(si.files());
                    if (si.info.getUseCompoundFile()) {
                        try (Directory cfs = si.info.getCodec().compoundFormat().getCompoundReader(dir, si.info)) {
                            files = List.of(cfs.listAll());
                        }
                    }
                    assertThat(files).anyMatch(f -> f.endsWith("." + SparseVectorsFormat.EXTENSION));
                }
                w.forceMerge(1);
                w.commit();
            }
            SegmentInfos merged = SegmentInfos.readLatestCommit(dir);
            assertThat(merged.size()).isEqualTo(1);
            // Files of merged-away segments are gone: every remaining file belongs to the one live segment.
            String live = merged.info(0).info.name;
            assertThat(Arrays.stream(dir.listAll()).filter(f -> f.startsWith("_")))
                    .as("files after merge").allMatch(f -> f.startsWith(live + "_") || f.startsWith(live + "."));

            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                SparseVector q = vector(rnd);
                SparseQuery query = new SparseQuery(Fields.VECTOR, q, DIM, 10, null,
                        new SparseSearchOptions(true, 10, 1.0, false, 0, 0));
                ScoredDocs direct = query.topDocs(searcher);
                TopDocs viaLucene = searcher.search(query, 10);
                assertThat(viaLucene.scoreDocs).hasSize(direct.size());
                for (int i = 0; i < direct.size(); i++) {
                    assertThat(viaLucene.scoreDocs[i].doc).isEqualTo(direct.docs()[i]);
                    assertThat(viaLucene.scoreDocs[i].score).isEqualTo(direct.scores()[i]);
                }
                // Composes: restrict the sparse top-10 to documents with k=v0.
                BooleanQuery both = new BooleanQuery.Builder()
                        .add(query, BooleanClause.Occur.MUST)
                        .add(new TermQuery(new Term(Fields.keyword("k"), "v0")), BooleanClause.Occur.FILTER)
                        .build();
                TopDocs filtered = searcher.search(both, 10);
                List<Integer> expected = new java.util.ArrayList<>();
                for (int d : direct.docs()) {
                    if (Integer.parseInt(searcher.storedFields().document(d).get(Fields.ID).substring(1)) % 2 == 0) {
                        expected.add(d);
                    }
                }
                assertThat(Arrays.stream(filtered.scoreDocs).map(sd -> sd.doc).toList()).isEqualTo(expected);
            }
        }
    }

    @Test
    void missingSparseFileIsCorruptionNamingTheFile() throws Exception {
        DocumentMapper mapper = new DocumentMapper(DIM, JsonMapper.builder().build());
        SplittableRandom rnd = new SplittableRandom(6);
        try (Directory dir = FSDirectory.open(tmp)) {
            IndexWriterConfig cfg = new IndexWriterConfig()
                    .setCodec(new LsrCodec(Fields.VECTOR, new SparseBuildConfig(DIM, 0, dev.lsr.seismic.build.BuildParams.defaults(), dev.lsr.seismic.forward.WeightEncoding.F16)))
                    .setUseCompoundFile(false);
            try (IndexWriter w = new IndexWriter(dir, cfg)) {
                for (int i = 0; i < 50; i++) {
                    w.addDocument(mapper.toLucene(new Document("d" + i, null, "t", Map.of(), vector(rnd))));
                }
                w.commit();
            }
            String sparse = Arrays.stream(dir.listAll()).filter(f -> f.endsWith("." + SparseVectorsFormat.EXTENSION))
                    .findFirst().orElseThrow();
            dir.deleteFile(sparse);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DirectoryReader.open(dir).close())
                    .isInstanceOf(org.apache.lucene.index.CorruptIndexException.class)
                    .hasMessageContaining(sparse).hasMessageContaining("missing");
        }
    }
}
