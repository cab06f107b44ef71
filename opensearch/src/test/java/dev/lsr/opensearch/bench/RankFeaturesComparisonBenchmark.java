package dev.lsr.opensearch.bench;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertNoFailures;

import dev.lsr.opensearch.LsrPlugin;
import dev.lsr.opensearch.query.LsrSparseQueryBuilder;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.io.AnseriniQueryTsv;
import dev.lsr.seismic.io.IdVector;
import dev.lsr.seismic.io.RealisticCollection;
import dev.lsr.seismic.io.TokenMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.store.Directory;
import org.opensearch.action.admin.indices.stats.IndicesStatsResponse;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.index.mapper.MapperExtrasModulePlugin;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.query.RankFeatureQueryBuilder;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.search.stats.SearchStats;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * lsr_sparse (Seismic per segment) against OpenSearch's own learned-sparse search, {@code
 * rank_features} + a {@code bool}/{@code should} of per-term {@code rank_feature} queries with the
 * linear function, on the same {@code realistic} vectors in one OpenSearch node of this JVM, each in
 * its own one-shard index force-merged to one segment. Recall@10 is measured against an exact
 * top-10 computed here; latency is the wall time of each search request through the node client
 * (single thread, after a warm-up pass), p50/p99 over the queries.
 *
 * <p>Not a CI test (excluded by the module's surefire configuration, it takes minutes): run it as
 * {@code LSR_CLUSTER_TEST=RankFeaturesComparisonBenchmark bash opensearch/cluster-test.sh
 * -Dlsr.bench.docs=200000 -Dlsr.bench.queries=1000}; lines starting with {@code BENCH} are the
 * results. Needs {@code ../shared}'s SPLADE++ query file (skipped with a reason without it).
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0,
        supportsDedicatedMasters = false)
public class RankFeaturesComparisonBenchmark extends OpenSearchIntegTestCase {

    private static final int K = 10;
    private static final String LSR_INDEX = "lsr";
    private static final String RF_INDEX = "rf";

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(LsrPlugin.class, MapperExtrasModulePlugin.class);
    }

    // The test framework's asserting engine and mock store wrap every searcher and directory with
    // checks that would be timed too; a benchmark runs the real ones.
    @Override
    protected boolean addMockInternalEngine() {
        return false;
    }

    @Override
    protected boolean addMockIndexStorePlugin() {
        return false;
    }

    @Override
    protected Settings nodeSettings(int nodeOrdinal) {
        return Settings.builder().put(super.nodeSettings(nodeOrdinal))
                // One thread per query for both systems, as lsr's own benchmarks measure.
                .put("search.concurrent_segment_search.mode", "none")
                .put("indices.memory.index_buffer_size", "25%")
                .build();
    }

    private static void out(String line) {
        System.out.println("BENCH " + line);
    }

    public void testLsrSparseAgainstRankFeatures() throws IOException {
        int docs = Integer.getInteger("lsr.bench.docs", 200_000);
        int queries = Integer.getInteger("lsr.bench.queries", 1000);
        int warmup = Math.min(queries, Integer.getInteger("lsr.bench.warmup", 200));
        Path shared = RealisticCollection.sharedFile();
        assumeTrue("needs the SPLADE++ query file at " + shared.toAbsolutePath(), Files.isRegularFile(shared));

        long t0 = System.nanoTime();
        RealisticCollection coll = RealisticCollection.of(shared, docs, RealisticCollection.DEFAULT_SEED);
        SparseVector[] vectors = IntStream.range(0, docs).parallel().mapToObj(coll::document).toArray(SparseVector[]::new);
        int dim = coll.dim();
        long nnz = Arrays.stream(vectors).mapToLong(SparseVector::size).sum();
        out(String.format(Locale.ROOT, "corpus realistic:%d dim %d avg nnz %.1f (generated in %.1f s)", docs, dim,
                (double) nnz / docs, secondsSince(t0)));

        List<SparseVector> heldOut = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            heldOut.add(coll.query(i));
        }
        List<SparseVector> real = new ArrayList<>();
        for (IdVector q : AnseriniQueryTsv.read(shared, TokenMapper.of(coll.vocabulary().orElseThrow(), dim),
                AnseriniQueryTsv.DEFAULT_SCALE)) {
            if (real.size() < queries && !q.vector().isEmpty()) {
                real.add(q.vector());
            }
        }

        createLsrIndex(dim, docs);
        createRankFeaturesIndex();
        indexAll(LSR_INDEX, vectors, RankFeaturesComparisonBenchmark::lsrSource);
        indexAll(RF_INDEX, vectors, RankFeaturesComparisonBenchmark::rankFeaturesSource);
        for (String index : List.of(LSR_INDEX, RF_INDEX)) {
            long m = System.nanoTime();
            assertNoFailures(client().admin().indices().prepareForceMerge(index).setMaxNumSegments(1).get());
            refresh(index);
            IndicesStatsResponse stats = client().admin().indices().prepareStats(index).setSegments(true).get();
            out(String.format(Locale.ROOT, "index %s: force merge to 1 segment %.1f s, segments %d, files %s", index,
                    secondsSince(m), stats.getTotal().getSegments().getCount(), filesByExtension(index)));
        }

        List<SearchSystem> systems = new ArrayList<>(List.of(
                new SearchSystem("request floor: match_all", LSR_INDEX, q -> QueryBuilders.matchAllQuery(), false),
                new SearchSystem("lsr_sparse tuned (recall_target 0.95)", LSR_INDEX, q -> lsr(q, null, null), false),
                new SearchSystem("lsr_sparse query_cut 5 heap_factor 0.7", LSR_INDEX, q -> lsr(q, 5, 0.7f), false),
                new SearchSystem("lsr_sparse query_cut 10 heap_factor 0.9", LSR_INDEX, q -> lsr(q, 10, 0.9f), false),
                new SearchSystem("rank_feature linear, track_total_hits false", RF_INDEX,
                        RankFeaturesComparisonBenchmark::rankFeatures, false)));
        if (Boolean.getBoolean("lsr.bench.rankFeaturesDefaultTotalHits")) {
            systems.add(new SearchSystem("rank_feature linear, track_total_hits default", RF_INDEX,
                    RankFeaturesComparisonBenchmark::rankFeatures, null));
        }
        ExactTopK exact = new ExactTopK(vectors, dim);
        for (var set : List.of(new QuerySet("held-out realistic:" + queries, heldOut), new QuerySet("real SPLADE++ dev", real))) {
            int[][] truth = new int[set.queries().size()][];
            for (int q = 0; q < truth.length; q++) {
                truth[q] = exact.top(set.queries().get(q), K);
            }
            double avgTerms = set.queries().stream().mapToInt(SparseVector::size).average().orElse(0);
            out(String.format(Locale.ROOT, "queries %s: %d, avg %.1f terms; %d warm-up queries per system", set.name(),
                    truth.length, avgTerms, warmup));
            // Every system is warmed before any is timed, so none pays for the JIT of another.
            for (SearchSystem system : systems) {
                for (int q = 0; q < warmup; q++) {
                    search(system, set.queries().get(q));
                }
            }
            out("| queries | system | recall@10 | p50 ms | p99 ms | mean ms | shard query phase mean ms |");
            for (SearchSystem system : systems) {
                run(set, truth, system);
            }
        }
    }

    /** trackTotalHits: null leaves the request's default (count up to 10,000). */
    private record SearchSystem(String name, String index, Function<SparseVector, QueryBuilder> query, Boolean trackTotalHits) {}

    private record QuerySet(String name, List<SparseVector> queries) {}

    private static LsrSparseQueryBuilder lsr(SparseVector q, Integer queryCut, Float heapFactor) {
        return new LsrSparseQueryBuilder("vec", q.indices(), q.values(), K, queryCut, heapFactor, false, null);
    }

    /** What OpenSearch runs for exact learned sparse search: one linear rank_feature clause per query term. */
    private static QueryBuilder rankFeatures(SparseVector q) {
        BoolQueryBuilder b = QueryBuilders.boolQuery();
        for (int j = 0; j < q.size(); j++) {
            b.should(new RankFeatureQueryBuilder("rf.t" + q.index(j), new RankFeatureQueryBuilder.ScoreFunction.Linear())
                    .boost(q.value(j)));
        }
        return b;
    }

    private void run(QuerySet set, int[][] truth, SearchSystem system) {
        List<SparseVector> qs = set.queries();
        SearchStats.Stats before = searchStats(system.index());
        long[] nanos = new long[qs.size()];
        double recall = 0;
        for (int q = 0; q < qs.size(); q++) {
            long s = System.nanoTime();
            SearchHit[] hits = search(system, qs.get(q));
            nanos[q] = System.nanoTime() - s;
            recall += recall(hits, truth[q]);
        }
        SearchStats.Stats after = searchStats(system.index());
        // The shard's query phase alone (OpenSearch sums it in nanoseconds; mean over this pass).
        double shardQueryMs = (double) (after.getQueryTimeInMillis() - before.getQueryTimeInMillis())
                / Math.max(1, after.getQueryCount() - before.getQueryCount());
        Arrays.sort(nanos);
        out(String.format(Locale.ROOT, "| %s | %s | %.4f | %.2f | %.2f | %.2f | %.2f |", set.name(), system.name(),
                recall / qs.size(), nanos[nanos.length / 2] / 1e6,
                nanos[Math.min(nanos.length - 1, (int) Math.ceil(nanos.length * 0.99) - 1)] / 1e6,
                Arrays.stream(nanos).average().orElse(0) / 1e6, shardQueryMs));
    }

    private SearchStats.Stats searchStats(String index) {
        return client().admin().indices().prepareStats(index).setSearch(true).get().getTotal().getSearch().getTotal();
    }

    /** Builds the query inside the timed span: both systems' request building is part of their latency. */
    private SearchHit[] search(SearchSystem system, SparseVector q) {
        var req = client().prepareSearch(system.index()).setQuery(system.query().apply(q)).setSize(K);
        if (system.trackTotalHits() != null) {
            req.setTrackTotalHits(system.trackTotalHits());
        }
        SearchResponse r = req.get();
        assertNoFailures(r);
        return r.getHits().getHits();
    }

    private static double recall(SearchHit[] hits, int[] truth) {
        if (truth.length == 0) {
            return 1.0;
        }
        int found = 0;
        for (SearchHit h : hits) {
            int id = Integer.parseInt(h.getId());
            for (int t : truth) {
                if (t == id) {
                    found++;
                    break;
                }
            }
        }
        return (double) found / truth.length;
    }

    private void createLsrIndex(int dim, int docs) {
        // exact_segment_max_docs keeps small flushed segments unstructured, so the Seismic build and
        // tuning run on the merged segment rather than on every flush (the result searched is the same).
        assertAcked(client().admin().indices().prepareCreate(LSR_INDEX).setSettings(oneShard().put("index.lsr_sparse", true))
                .setMapping("{\"_source\": {\"enabled\": false}, \"properties\": {\"vec\": {\"type\": \"lsr_sparse_vector\","
                        + " \"dim\": " + dim + ", \"recall_target\": 0.95, \"exact_segment_max_docs\": " + Math.max(2000, docs / 4)
                        + "}}}"));
        ensureGreen(LSR_INDEX);
    }

    private void createRankFeaturesIndex() {
        assertAcked(client().admin().indices().prepareCreate(RF_INDEX).setSettings(oneShard())
                .setMapping("{\"_source\": {\"enabled\": false}, \"properties\": {\"rf\": {\"type\": \"rank_features\"}}}"));
        ensureGreen(RF_INDEX);
    }

    private static Settings.Builder oneShard() {
        return Settings.builder().put("index.number_of_shards", 1).put("index.number_of_replicas", 0)
                .put("index.refresh_interval", "-1").put("index.search.concurrent_segment_search.mode", "none")
                // Files per extension, not one compound file, so the sizes say what each structure costs.
                .put("index.compound_format", false);
    }

    private static String lsrSource(SparseVector v) {
        StringBuilder b = new StringBuilder(v.size() * 16).append("{\"vec\":{\"indices\":[");
        for (int j = 0; j < v.size(); j++) {
            b.append(j == 0 ? "" : ",").append(v.index(j));
        }
        b.append("],\"values\":[");
        for (int j = 0; j < v.size(); j++) {
            b.append(j == 0 ? "" : ",").append(v.value(j));
        }
        return b.append("]}}").toString();
    }

    private static String rankFeaturesSource(SparseVector v) {
        StringBuilder b = new StringBuilder(v.size() * 16).append("{\"rf\":{");
        for (int j = 0; j < v.size(); j++) {
            b.append(j == 0 ? "\"t" : ",\"t").append(v.index(j)).append("\":").append(v.value(j));
        }
        return b.append("}}").toString();
    }

    private void indexAll(String index, SparseVector[] vectors, Function<SparseVector, String> source) {
        long s = System.nanoTime();
        BulkRequestBuilder bulk = client().prepareBulk();
        for (int i = 0; i < vectors.length; i++) {
            bulk.add(client().prepareIndex(index).setId(Integer.toString(i)).setSource(source.apply(vectors[i]), XContentType.JSON));
            if (bulk.numberOfActions() == 2000 || i == vectors.length - 1) {
                BulkResponse done = bulk.get();
                assertFalse(done.buildFailureMessage(), done.hasFailures());
                bulk = client().prepareBulk();
            }
        }
        refresh(index);
        out(String.format(Locale.ROOT, "index %s: %d documents indexed in %.1f s", index, vectors.length, secondsSince(s)));
    }

    /**
     * MiB per file extension of the index's one shard, compound files opened (".lsrs" is the
     * Seismic structure, ".lsrd"/".dv*" the doc values the structure is built from).
     */
    private Map<String, String> filesByExtension(String index) throws IOException {
        IndicesService indices = internalCluster().getDataNodeInstance(IndicesService.class);
        IndexShard shard = indices.indexServiceSafe(resolveIndex(index)).getShard(0);
        Map<String, Long> bytes = new TreeMap<>();
        try (Engine.Searcher searcher = shard.acquireSearcher("lsr-bench")) {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                SegmentInfo si = ((SegmentReader) FilterLeafReader.unwrap(leaf.reader())).getSegmentInfo().info;
                if (si.getUseCompoundFile()) {
                    try (Directory cfs = si.getCodec().compoundFormat().getCompoundReader(si.dir, si)) {
                        for (String f : cfs.listAll()) {
                            addFile(bytes, f, cfs.fileLength(f));
                        }
                    }
                } else {
                    for (String f : si.files()) {
                        addFile(bytes, f, si.dir.fileLength(f));
                    }
                }
            }
        }
        Map<String, String> mib = new TreeMap<>();
        bytes.forEach((ext, n) -> mib.put(ext, String.format(Locale.ROOT, "%.1f", n / 1048576.0)));
        return mib;
    }

    private static void addFile(Map<String, Long> bytes, String file, long length) {
        int dot = file.lastIndexOf('.');
        bytes.merge(dot < 0 ? file : file.substring(dot), length, Long::sum);
        bytes.merge("total", length, Long::sum);
    }

    private static double secondsSince(long t) {
        return (System.nanoTime() - t) / 1e9;
    }

    /** The reference: term-at-a-time over an inverted index of the same vectors, sums in double, ties to the lower id. */
    private static final class ExactTopK {
        private final int[] start;
        private final int[] docs;
        private final float[] weights;
        private final double[] acc;

        ExactTopK(SparseVector[] vectors, int dim) {
            start = new int[dim + 1];
            for (SparseVector v : vectors) {
                for (int j = 0; j < v.size(); j++) {
                    start[v.index(j) + 1]++;
                }
            }
            for (int t = 0; t < dim; t++) {
                start[t + 1] += start[t];
            }
            docs = new int[start[dim]];
            weights = new float[start[dim]];
            int[] fill = Arrays.copyOf(start, dim);
            for (int d = 0; d < vectors.length; d++) {
                SparseVector v = vectors[d];
                for (int j = 0; j < v.size(); j++) {
                    int at = fill[v.index(j)]++;
                    docs[at] = d;
                    weights[at] = v.value(j);
                }
            }
            acc = new double[vectors.length];
        }

        int[] top(SparseVector q, int k) {
            Arrays.fill(acc, 0.0);
            for (int j = 0; j < q.size(); j++) {
                int t = q.index(j);
                double w = q.value(j);
                for (int p = start[t]; p < start[t + 1]; p++) {
                    acc[docs[p]] += w * weights[p];
                }
            }
            int[] best = new int[k];
            int n = 0;
            for (int d = 0; d < acc.length; d++) {
                if (acc[d] <= 0) {
                    continue;
                }
                if (n < k) {
                    int at = n++;
                    while (at > 0 && acc[best[at - 1]] < acc[d]) {
                        best[at] = best[at - 1];
                        at--;
                    }
                    best[at] = d;
                } else if (acc[d] > acc[best[k - 1]]) {
                    int at = k - 1;
                    while (at > 0 && acc[best[at - 1]] < acc[d]) {
                        best[at] = best[at - 1];
                        at--;
                    }
                    best[at] = d;
                }
            }
            return Arrays.copyOf(best, n);
        }
    }
}
