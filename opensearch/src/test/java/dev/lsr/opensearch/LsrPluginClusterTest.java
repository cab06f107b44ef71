package dev.lsr.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertNoFailures;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.OnnxImporter;
import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.seismic.SparseVector;
import dev.lsr.opensearch.codec.LsrOpenSearchCodec;
import dev.lsr.opensearch.query.LsrSparseQueryBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.Explanation;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.ExceptionsHelper;
import org.opensearch.action.search.SearchPhaseExecutionException;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.cluster.health.ClusterHealthStatus;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexService;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * The plugin in a real 3-node OpenSearch cluster in this JVM: an index of 3 primaries and 1
 * replica, vectors indexed through the REST-equivalent client, searched with {@code lsr_sparse},
 * and every answer compared with a brute-force top-k computed here over the same vectors.
 * One index per test method (the suite's methods run in random order on one cluster).
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3, numClientNodes = 0)
public class LsrPluginClusterTest extends OpenSearchIntegTestCase {

    private static final int DIM = 2000;
    private static final int DOCS = 20_000;
    private static final String FIELD = "vec";

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(LsrPlugin.class);
    }

    /** Token of term id {@code i} in the test vocabulary every node holds as {@code <config>/lsr-models/words/}. */
    private static String token(int i) {
        return "w" + i;
    }

    /** The shared tiny masked-LM imported as an lsr model directory, once per suite; null without ../shared. */
    private static Path tinyModel;
    private static boolean tinyModelLookedFor;

    private synchronized Path tinyModel() throws java.io.IOException {
        if (!tinyModelLookedFor) {
            tinyModelLookedFor = true;
            Path src = Path.of(System.getProperty("lsr.shared", "../shared")).resolve("models/tiny-mlm");
            if (Files.isRegularFile(src.resolve("model.onnx")) && Files.isRegularFile(src.resolve("tokenizer.json"))) {
                tinyModel = onDefaultFileSystem(createTempDir()).resolve("tiny-mlm");
                OnnxImporter.importModel(src.resolve("model.onnx"), src.resolve("tokenizer.json"), tinyModel, "tiny-mlm",
                        HeadDType.FP32);
            } else {
                System.out.println("LsrPluginClusterTest: no tiny model at " + src.toAbsolutePath()
                        + "; the ingest processor and text query test will skip");
            }
        }
        return tinyModel;
    }

    /**
     * The same directory through the default file system: the test framework's temp dirs live on a
     * wrapping file system whose channels cannot memory-map into an {@code Arena}, as the encoder's
     * head file is mapped (a node reads its config directory through the real one).
     */
    private static Path onDefaultFileSystem(Path p) {
        return Path.of(p.toAbsolutePath().toString());
    }

    @Override
    protected Path nodeConfigPath(int nodeOrdinal) {
        try {
            Path config = onDefaultFileSystem(createTempDir());
            Path model = Files.createDirectories(config.resolve("lsr-models").resolve("words"));
            StringBuilder vocab = new StringBuilder();
            for (int i = 0; i < DIM; i++) {
                vocab.append(token(i)).append('\n');
            }
            Files.writeString(model.resolve("vocab.txt"), vocab);
            // Every node gets the encoder model as an operator would copy it: <config>/lsr-models/tiny/.
            Path tiny = tinyModel();
            if (tiny != null) {
                Path dst = Files.createDirectories(config.resolve("lsr-models").resolve("tiny"));
                try (var files = Files.list(tiny)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.copy(f, dst.resolve(f.getFileName().toString()));
                    }
                }
            }
            return config;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Deterministic clustered vectors: each document draws most terms from its topic's pool. */
    private record Corpus(Map<String, int[]> ids, Map<String, float[]> weights, Map<String, String> groups) {

        static Corpus make(long seed, int docs) {
            Random r = new Random(seed);
            Map<String, int[]> ids = new TreeMap<>();
            Map<String, float[]> ws = new TreeMap<>();
            Map<String, String> groups = new TreeMap<>();
            for (int d = 0; d < docs; d++) {
                int topic = r.nextInt(20);
                Set<Integer> terms = new HashSet<>();
                int n = 20 + r.nextInt(30);
                while (terms.size() < n) {
                    terms.add(r.nextInt(4) == 0 ? r.nextInt(DIM) : topic * 100 + r.nextInt(100));
                }
                int[] i = terms.stream().mapToInt(Integer::intValue).sorted().toArray();
                float[] w = new float[i.length];
                for (int j = 0; j < w.length; j++) {
                    w[j] = 0.05f + 2.5f * r.nextFloat();
                }
                String id = "d" + d;
                ids.put(id, i);
                ws.put(id, w);
                groups.put(id, "g" + (d % 4));
            }
            return new Corpus(ids, ws, groups);
        }

        float dot(String id, float[] dense) {
            int[] i = ids.get(id);
            float[] w = weights.get(id);
            float s = 0f;
            for (int j = 0; j < i.length; j++) {
                s += w[j] * dense[i[j]];
            }
            return s;
        }

        /** Brute force: every document (passing the group filter, if any), best first. */
        List<Map.Entry<String, Float>> top(float[] dense, int k, Set<String> excluded, String groupOrNull) {
            List<Map.Entry<String, Float>> all = new ArrayList<>();
            for (String id : ids.keySet()) {
                if (excluded.contains(id) || (groupOrNull != null && !groupOrNull.equals(groups.get(id)))) {
                    continue;
                }
                float s = dot(id, dense);
                if (s > 0f) {
                    all.add(Map.entry(id, s));
                }
            }
            all.sort((a, b) -> Float.compare(b.getValue(), a.getValue()));
            return all.subList(0, Math.min(k, all.size()));
        }
    }

    private static final class QueryVector {
        final int[] ids;
        final float[] values;
        final float[] dense = new float[DIM];

        QueryVector(Random r) {
            int topic = r.nextInt(20);
            Set<Integer> terms = new HashSet<>();
            while (terms.size() < 12) {
                terms.add(r.nextInt(3) == 0 ? r.nextInt(DIM) : topic * 100 + r.nextInt(100));
            }
            ids = terms.stream().mapToInt(Integer::intValue).sorted().toArray();
            values = new float[ids.length];
            for (int j = 0; j < ids.length; j++) {
                values[j] = 0.1f + 2f * r.nextFloat();
                dense[ids[j]] = values[j];
            }
        }

        LsrSparseQueryBuilder query(int k, boolean exact, QueryBuilder filter) {
            return new LsrSparseQueryBuilder(FIELD, ids, values, k, null, null, exact, filter);
        }
    }

    private Corpus createAndIndex(String index, long seed, int docs) {
        assertAcked(client().admin().indices().prepareCreate(index)
                .setSettings(Settings.builder()
                        .put("index.number_of_shards", 3)
                        .put("index.number_of_replicas", 1)
                        .put("index.lsr_sparse", true)
                        .put("index.refresh_interval", "-1"))
                .setMapping("{\"properties\": {\"" + FIELD + "\": {\"type\": \"lsr_sparse_vector\", \"dim\": " + DIM
                        + ", \"exact_segment_max_docs\": 100}, \"group\": {\"type\": \"keyword\"}}}"));
        ensureGreen(index);
        Corpus c = Corpus.make(seed, docs);
        BulkRequestBuilder bulk = client().prepareBulk();
        for (String id : c.ids().keySet()) {
            Map<String, Object> vec = new HashMap<>();
            vec.put("indices", Arrays.stream(c.ids().get(id)).boxed().toList());
            float[] w = c.weights().get(id);
            List<Float> values = new ArrayList<>(w.length);
            for (float f : w) {
                values.add(f);
            }
            vec.put("values", values);
            bulk.add(client().prepareIndex(index).setId(id).setSource(Map.of(FIELD, vec, "group", c.groups().get(id))));
            if (bulk.numberOfActions() == 500) {
                BulkResponse done = bulk.get();
                assertFalse(done.buildFailureMessage(), done.hasFailures());
                bulk = client().prepareBulk();
            }
        }
        if (bulk.numberOfActions() > 0) {
            BulkResponse done = bulk.get();
            assertFalse(done.buildFailureMessage(), done.hasFailures());
        }
        refresh(index);
        return c;
    }

    private SearchHit[] search(String index, QueryBuilder q, int size) {
        SearchResponse r = client().prepareSearch(index).setQuery(q).setSize(size).get();
        assertNoFailures(r);
        assertEquals("all shards answered", r.getTotalShards(), r.getSuccessfulShards());
        return r.getHits().getHits();
    }

    private static void assertSameAsBruteForce(SearchHit[] hits, List<Map.Entry<String, Float>> expected) {
        assertEquals(expected.size(), hits.length);
        for (int i = 0; i < hits.length; i++) {
            assertEquals("rank " + i, expected.get(i).getKey(), hits[i].getId());
            assertEquals("score at rank " + i, expected.get(i).getValue(), hits[i].getScore(), 1e-4f);
        }
    }

    public void testExactAndApproximateMatchBruteForceAcrossShards() {
        String index = "exact";
        Corpus c = createAndIndex(index, 1, DOCS);
        assertSegmentsUseLsrCodec(index);
        Random r = new Random(7);
        double recall = 0;
        int queries = 20;
        for (int q = 0; q < queries; q++) {
            QueryVector v = new QueryVector(r);
            List<Map.Entry<String, Float>> truth = c.top(v.dense, 10, Set.of(), null);
            assertSameAsBruteForce(search(index, v.query(10, true, null), 10), truth);
            SearchHit[] approx = search(index, v.query(10, false, null), 10);
            Set<String> want = new HashSet<>();
            truth.forEach(e -> want.add(e.getKey()));
            int found = 0;
            for (SearchHit h : approx) {
                found += want.contains(h.getId()) ? 1 : 0;
                // Approximate hits carry their exact dot product, whatever found them.
                assertEquals(c.dot(h.getId(), v.dense), h.getScore(), 1e-4f);
            }
            recall += (double) found / truth.size();
        }
        recall /= queries;
        logger.info("lsr_sparse approximate recall@10 over {} queries: {}", queries, recall);
        assertTrue("recall@10 " + recall, recall >= 0.95);

        // A force merge rebuilds the structure of the merged segments; results are unchanged.
        assertNoFailures(client().admin().indices().prepareForceMerge(index).setMaxNumSegments(1).get());
        refresh(index);
        assertSegmentsUseLsrCodec(index);
        QueryVector v = new QueryVector(new Random(7));
        assertSameAsBruteForce(search(index, v.query(10, true, null), 10), c.top(v.dense, 10, Set.of(), null));
    }

    /**
     * A field mapped with a {@code vocabulary} (no {@code dim}: the vocabulary's size) and a
     * {@code recall_target}: documents and queries as {@code {"token": weight}}, every segment
     * tuned by seismic-blocks' tuner, queries without a setting searched with the tuned one.
     */
    public void testTokensThroughAVocabularyAndRecallTarget() {
        String index = "tokens";
        assertAcked(client().admin().indices().prepareCreate(index)
                .setSettings(Settings.builder()
                        .put("index.number_of_shards", 3)
                        .put("index.number_of_replicas", 1)
                        .put("index.lsr_sparse", true)
                        .put("index.refresh_interval", "-1"))
                .setMapping("{\"properties\": {\"" + FIELD + "\": {\"type\": \"lsr_sparse_vector\", \"vocabulary\": \"words\","
                        + " \"recall_target\": 0.95, \"exact_segment_max_docs\": 100}}}"));
        ensureGreen(index);
        Corpus c = Corpus.make(4, DOCS);
        BulkRequestBuilder bulk = client().prepareBulk();
        for (String id : c.ids().keySet()) {
            Map<String, Object> vec = new HashMap<>();
            int[] ids = c.ids().get(id);
            for (int j = 0; j < ids.length; j++) {
                vec.put(token(ids[j]), c.weights().get(id)[j]);
            }
            bulk.add(client().prepareIndex(index).setId(id).setSource(Map.of(FIELD, vec)));
        }
        BulkResponse done = bulk.get();
        assertFalse(done.buildFailureMessage(), done.hasFailures());
        refresh(index);
        assertSegmentsUseLsrCodec(index);
        Random r = new Random(9);
        double recall = 0;
        int queries = 20;
        for (int q = 0; q < queries; q++) {
            QueryVector v = new QueryVector(r);
            Map<String, Float> tokens = new HashMap<>();
            for (int j = 0; j < v.ids.length; j++) {
                tokens.put(token(v.ids[j]), v.values[j]);
            }
            List<Map.Entry<String, Float>> truth = c.top(v.dense, 10, Set.of(), null);
            assertSameAsBruteForce(search(index, LsrSparseQueryBuilder.ofTokens(FIELD, tokens, 10, null, null, true, null), 10),
                    truth);
            Set<String> want = new HashSet<>();
            truth.forEach(e -> want.add(e.getKey()));
            for (SearchHit h : search(index, LsrSparseQueryBuilder.ofTokens(FIELD, tokens, 10, null, null, false, null), 10)) {
                recall += want.contains(h.getId()) ? 1.0 / truth.size() : 0;
            }
        }
        recall /= queries;
        logger.info("lsr_sparse tokens, recall_target 0.95: recall@10 over {} queries: {}", queries, recall);
        assertTrue("recall@10 " + recall, recall >= 0.9);

        // An unknown token names itself; a dim that contradicts the vocabulary is refused.
        Exception unknown = expectThrows(Exception.class, () -> search(index,
                LsrSparseQueryBuilder.ofTokens(FIELD, Map.of("nope", 1f), 10, null, null, false, null), 10));
        assertMentions(unknown, "token [nope] is not in the field's vocabulary");
        Exception badDim = expectThrows(Exception.class, () -> client().admin().indices().prepareCreate("tokens-bad-dim")
                .setSettings(Settings.builder().put("index.lsr_sparse", true))
                .setMapping("{\"properties\": {\"" + FIELD + "\": {\"type\": \"lsr_sparse_vector\", \"vocabulary\": \"words\","
                        + " \"dim\": 5}}}").get());
        assertMentions(badDim, "differs from the " + DIM + " tokens");
    }

    public void testFilterInsideSearchAndBoolComposition() {
        String index = "filtered";
        Corpus c = createAndIndex(index, 2, DOCS);
        Random r = new Random(11);
        for (int q = 0; q < 10; q++) {
            QueryVector v = new QueryVector(r);
            // The filter is applied inside each shard's search: k hits that pass, not k hits filtered after.
            SearchHit[] hits = search(index, v.query(10, false, QueryBuilders.termQuery("group", "g1")), 10);
            assertSameAsBruteForce(hits, c.top(v.dense, 10, Set.of(), "g1"));

            // In a bool query: lsr_sparse's hits (k per shard, so up to 3k over the index) narrowed by
            // a must_not, scores unchanged.
            List<Map.Entry<String, Float>> expected = new ArrayList<>();
            for (SearchHit h : search(index, v.query(10, true, null), 30)) {
                if (!c.groups().get(h.getId()).equals("g0") && expected.size() < 10) {
                    expected.add(Map.entry(h.getId(), h.getScore()));
                }
            }
            SearchHit[] bool = search(index, QueryBuilders.boolQuery().must(v.query(10, true, null))
                    .mustNot(QueryBuilders.termQuery("group", "g0")), 10);
            assertSameAsBruteForce(bool, expected);
        }
        // A filter nobody passes: no hits, no error.
        QueryVector v = new QueryVector(r);
        assertEquals(0, search(index, v.query(10, false, QueryBuilders.termQuery("group", "none")), 10).length);
    }

    public void testExplainGivesPerTermContributions() {
        String index = "explained";
        Corpus c = createAndIndex(index, 3, 600);
        QueryVector v = new QueryVector(new Random(5));
        SearchResponse r = client().prepareSearch(index).setQuery(v.query(5, false, null)).setSize(5).setExplain(true).get();
        assertNoFailures(r);
        assertTrue(r.getHits().getHits().length > 0);
        for (SearchHit h : r.getHits().getHits()) {
            Explanation e = h.getExplanation();
            assertTrue(e.toString(), e.isMatch());
            assertEquals(h.getScore(), e.getValue().floatValue(), 1e-5f);
            double sum = 0;
            for (Explanation d : e.getDetails()) {
                assertTrue(d.getDescription(), d.getDescription().startsWith("term "));
                sum += d.getValue().doubleValue();
            }
            assertTrue("details of " + h.getId(), e.getDetails().length > 0);
            assertEquals(c.dot(h.getId(), v.dense), sum, 1e-3);
        }
    }

    public void testDeletesAndUpdatesNeverReturnStaleDocuments() {
        String index = "updated";
        Corpus c = createAndIndex(index, 4, 1500);
        QueryVector v = new QueryVector(new Random(3));
        List<Map.Entry<String, Float>> before = c.top(v.dense, 10, Set.of(), null);
        Set<String> deleted = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String id = before.get(i).getKey();
            client().prepareDelete(index, id).get();
            deleted.add(id);
        }
        refresh(index);
        for (SearchHit h : search(index, v.query(10, false, null), 10)) {
            assertFalse("deleted " + h.getId() + " returned", deleted.contains(h.getId()));
        }
        assertSameAsBruteForce(search(index, v.query(10, true, null), 10), c.top(v.dense, 10, deleted, null));
        // An update replaces the vector: the old one must not score any more.
        String updated = before.get(3).getKey();
        client().prepareIndex(index).setId(updated).setSource(Map.of(FIELD, Map.of("indices", List.of(DIM - 1),
                "values", List.of(0.01f)), "group", "g9")).get();
        refresh(index);
        for (SearchHit h : search(index, v.query(10, true, null), 10)) {
            assertNotEquals("updated " + updated + " still ranks with its old vector", updated, h.getId());
        }
        deleted.add(updated);
        assertSameAsBruteForce(search(index, v.query(10, true, null), 10), c.top(v.dense, 10, deleted, null));
        assertNoFailures(client().admin().indices().prepareForceMerge(index).setMaxNumSegments(1).get());
        refresh(index);
        assertSameAsBruteForce(search(index, v.query(10, true, null), 10), c.top(v.dense, 10, deleted, null));
    }

    public void testSearchesSurviveLosingADataNode() throws Exception {
        String index = "resilient";
        Corpus c = createAndIndex(index, 5, 1500);
        QueryVector v = new QueryVector(new Random(9));
        List<Map.Entry<String, Float>> truth = c.top(v.dense, 10, Set.of(), null);
        assertSameAsBruteForce(search(index, v.query(10, true, null), 10), truth);
        internalCluster().stopRandomDataNode();
        // Every shard still has a copy: complete and correct answers while replicas are promoted.
        assertSameAsBruteForce(search(index, v.query(10, true, null), 10), truth);
        internalCluster().startDataOnlyNode();
        ensureGreen(index);
        assertSameAsBruteForce(search(index, v.query(10, true, null), 10), truth);
        assertEquals(ClusterHealthStatus.GREEN, client().admin().cluster().prepareHealth(index).get().getStatus());
    }

    /**
     * The ingest processor and text queries with a real lsr model (the shared tiny masked-LM,
     * imported as {@code lsr model import} does, copied to every node's config): documents indexed
     * as text through a default pipeline carry exactly the vectors the encoder gives here; a text
     * query equals the brute force over those vectors with the encoder's query vector.
     */
    public void testTextThroughAnLsrModel() throws Exception {
        Path model = tinyModel();
        assumeTrue("needs ../shared/models/tiny-mlm", model != null);
        assertAcked(client().admin().cluster().preparePutPipeline("lsr-encode", new BytesArray(
                "{\"processors\": [{\"lsr_sparse_encode\": {\"model\": \"tiny\", \"field\": \"body\","
                        + " \"target_field\": \"" + FIELD + "\"}}]}"), XContentType.JSON).get());
        String index = "text";
        assertAcked(client().admin().indices().prepareCreate(index)
                .setSettings(Settings.builder()
                        .put("index.number_of_shards", 3)
                        .put("index.number_of_replicas", 1)
                        .put("index.lsr_sparse", true)
                        .put("index.default_pipeline", "lsr-encode")
                        .put("index.refresh_interval", "-1"))
                .setMapping("{\"properties\": {\"" + FIELD + "\": {\"type\": \"lsr_sparse_vector\", \"model\": \"tiny\","
                        + " \"exact_segment_max_docs\": 50}, \"body\": {\"type\": \"text\"}}}"));
        ensureGreen(index);
        String[] words = ("protein fold cell membrane energy river bank money loan court judge law music guitar song"
                + " planet star orbit engine fuel car train city mayor vote election virus vaccine immune gene dna").split(" ");
        Random r = new Random(21);
        Map<String, String> texts = new TreeMap<>();
        BulkRequestBuilder bulk = client().prepareBulk();
        for (int d = 0; d < 300; d++) {
            StringBuilder text = new StringBuilder();
            int n = 4 + r.nextInt(8);
            for (int w = 0; w < n; w++) {
                text.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            String id = "t" + d;
            texts.put(id, text.toString());
            bulk.add(client().prepareIndex(index).setId(id).setSource(Map.of("body", text.toString())));
        }
        BulkResponse done = bulk.get();
        assertFalse(done.buildFailureMessage(), done.hasFailures());
        refresh(index);
        assertSegmentsUseLsrCodec(index);

        try (SparseEncoder encoder = SparseEncoder.open(model, EncoderOptions.defaults(ModelDirectory.open(model)).withThreads(1))) {
            Map<String, SparseVector> vectors = new TreeMap<>();
            for (var e : texts.entrySet()) {
                vectors.put(e.getKey(), encoder.encodeDocuments(List.of(e.getValue())).getFirst().vector());
            }
            // The processor wrote the encoder's document vector into the source.
            for (String id : List.of("t0", "t17", "t299")) {
                @SuppressWarnings("unchecked")
                Map<String, List<Number>> stored = (Map<String, List<Number>>) client().prepareGet(index, id).get()
                        .getSourceAsMap().get(FIELD);
                SparseVector want = vectors.get(id);
                assertEquals(id, Arrays.stream(want.indices()).boxed().toList(),
                        stored.get("indices").stream().map(Number::intValue).toList());
                for (int j = 0; j < want.size(); j++) {
                    assertEquals(id + " weight " + j, want.value(j), stored.get("values").get(j).floatValue(), 1e-6f);
                }
            }
            for (String q : List.of("protein fold energy", "court judge vote", "virus vaccine gene", "guitar song star")) {
                SparseVector qv = encoder.encodeQuery(q).vector();
                assertFalse(q, qv.isEmpty());
                List<Map.Entry<String, Float>> truth = new ArrayList<>();
                vectors.forEach((id, v) -> {
                    float s = v.dot(qv);
                    if (s > 0f) {
                        truth.add(Map.entry(id, s));
                    }
                });
                truth.sort((a, b) -> Float.compare(b.getValue(), a.getValue()));
                SearchHit[] hits = search(index, LsrSparseQueryBuilder.ofText(FIELD, q, 10, null, null, true, null), 10);
                // The tiny model weighs many terms alike, so documents tie exactly and shards may order
                // tied ones either way: the k-th best scores must agree, and each hit carry its own dot product.
                assertEquals(q, Math.min(10, truth.size()), hits.length);
                for (int i = 0; i < hits.length; i++) {
                    assertEquals(q + " rank " + i, truth.get(i).getValue(), hits[i].getScore(), 1e-3f);
                    assertEquals(q + " " + hits[i].getId(), vectors.get(hits[i].getId()).dot(qv), hits[i].getScore(), 1e-3f);
                }
            }
        }

        // A field without a model cannot encode text; a pipeline naming a model no node has is refused.
        createAndIndex("text-no-model", 8, 10);
        Exception noModel = expectThrows(Exception.class, () -> search("text-no-model",
                LsrSparseQueryBuilder.ofText(FIELD, "protein", 10, null, null, false, null), 10));
        assertMentions(noModel, "mapped without a [model]");
        Exception badPipeline = expectThrows(Exception.class, () -> client().admin().cluster().preparePutPipeline("bad",
                new BytesArray("{\"processors\": [{\"lsr_sparse_encode\": {\"model\": \"nope\", \"field\": \"body\","
                        + " \"target_field\": \"vec\"}}]}"), XContentType.JSON).get());
        assertMentions(badPipeline, "is not an lsr model directory");
    }

    public void testBadInputIsRefusedWithClearErrors() {
        Exception noSetting = expectThrows(Exception.class, () -> client().admin().indices()
                .prepareCreate("nosetting")
                .setMapping("{\"properties\": {\"" + FIELD + "\": {\"type\": \"lsr_sparse_vector\"}}}").get());
        assertMentions(noSetting, "needs the index setting [index.lsr_sparse: true]");

        createAndIndex("bad", 6, 10);
        Exception badDoc = expectThrows(Exception.class, () -> client().prepareIndex("bad")
                .setId("x").setSource(Map.of(FIELD, Map.of("indices", List.of(1, DIM), "values", List.of(1f, 2f)))).get());
        assertMentions(badDoc, "field [" + FIELD + "]");

        Exception badDim = expectThrows(Exception.class,
                () -> search("bad", new LsrSparseQueryBuilder(FIELD, new int[] {DIM + 5}, new float[] {1f}, 10, null, null,
                        false, null), 10));
        assertMentions(badDim, "(dim " + DIM + ")");
        expectThrows(IllegalArgumentException.class,
                () -> new LsrSparseQueryBuilder(FIELD, new int[] {1}, new float[] {1f}, 0, null, null, false, null));
    }

    private static void assertMentions(Exception e, String text) {
        String all = ExceptionsHelper.stackTrace(e);
        if (e instanceof SearchPhaseExecutionException s) {
            all += Arrays.toString(s.shardFailures());
        }
        assertTrue("expected [" + text + "] in " + all, all.contains(text));
    }

    /** Every segment of every shard copy was written by the plugin's codec; large ones carry a Seismic structure. */
    private void assertSegmentsUseLsrCodec(String index) {
        int withStructure = 0;
        for (IndicesService indices : internalCluster().getDataNodeInstances(IndicesService.class)) {
            for (IndexService service : indices) {
                if (!service.index().getName().equals(index)) {
                    continue;
                }
                for (IndexShard shard : service) {
                    try (Engine.Searcher searcher = shard.acquireSearcher("lsr-test")) {
                        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                            SegmentReader segment = (SegmentReader) FilterLeafReader.unwrap(leaf.reader());
                            assertEquals(LsrOpenSearchCodec.NAME, segment.getSegmentInfo().info.getCodec().getName());
                            if (segment.getBinaryDocValues(FIELD) instanceof SparseBinaryDocValues s
                                    && s.segment().hasStructure()) {
                                withStructure++;
                            }
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }
        assertTrue("segments with a Seismic structure: " + withStructure, withStructure > 0);
    }
}
