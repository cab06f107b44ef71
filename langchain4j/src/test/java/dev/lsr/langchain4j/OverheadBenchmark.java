package dev.lsr.langchain4j;

import dev.langchain4j.rag.query.Query;
import dev.lsr.client.CollectionSettings;
import dev.lsr.client.Document;
import dev.lsr.client.EmbeddedLsr;
import dev.lsr.client.SearchMode;
import dev.lsr.client.SearchQuery;
import dev.lsr.client.SparseVector;
import dev.lsr.client.WriteOptions;
import dev.lsr.engine.EngineCollection;
import dev.lsr.engine.EngineOptions;
import dev.lsr.seismic.io.SyntheticCollection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the integration adds to a search: the same approximate k=10 query, by vector, on a merged
 * collection of synthetic SPLADE-like documents, timed single-thread through (a) the engine directly
 * ({@code EngineCollection.search}), (b) {@code EmbeddedLsr.search} (the client types, the filter
 * and vector conversions) and (c) {@code LsrContentRetriever.retrieve} (plus LangChain4j Contents).
 * The three run interleaved per query, order rotating, after a warm-up; p50 of each and the p50 of
 * the per-query differences are printed and written to {@code target/overhead.json}.
 *
 * <p>A benchmark, not a test: it runs only with {@code -Dlsr.bench.overhead=true}
 * ({@code -Dlsr.bench.docs=N}, {@code -Dlsr.bench.rounds=R} to change its size).
 */
class OverheadBenchmark {

    @TempDir
    Path tmp;

    @Test
    void integrationOverheadOverADirectEngineSearch() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("lsr.bench.overhead"), "benchmark: run with -Dlsr.bench.overhead=true");
        int docs = Integer.getInteger("lsr.bench.docs", 20_000);
        int queries = 200;
        int rounds = Integer.getInteger("lsr.bench.rounds", 10);
        SyntheticCollection synthetic = new SyntheticCollection(docs, 42L);
        try (EmbeddedLsr lsr = EmbeddedLsr.open(tmp, EngineOptions.defaults().withDefaultModel(null))) {
            lsr.createCollection("bench", CollectionSettings.vectorsOnly(SyntheticCollection.DIM));
            for (int from = 0; from < docs; from += 1000) {
                List<Document> batch = new ArrayList<>();
                for (int i = from; i < Math.min(docs, from + 1000); i++) {
                    batch.add(Document.ofVector("d" + i, "synthetic document " + i, client(synthetic.document(i)))
                            .withMetadata(Map.of("group", i % 10)));
                }
                lsr.addDocuments("bench", batch, WriteOptions.defaults());
            }
            EngineCollection direct = lsr.engine().collection("bench");
            direct.commit();
            direct.forceMerge(1);
            direct.refresh();

            dev.lsr.seismic.SparseVector[] engineVectors = new dev.lsr.seismic.SparseVector[queries];
            Map<String, SparseVector> byText = new HashMap<>();
            for (int q = 0; q < queries; q++) {
                engineVectors[q] = synthetic.query(q);
                byText.put("q" + q, client(engineVectors[q]));
            }
            LsrContentRetriever retriever = LsrContentRetriever.builder().lsr(lsr).collection("bench").maxResults(10)
                    .queryEncoder(byText::get).build();

            long[][] t = new long[3][queries * rounds];
            long warmUntil = System.nanoTime() + 3_000_000_000L;
            int n = 0;
            for (int round = -1; round < rounds; round++) {
                for (int q = 0; q < queries; q++) {
                    for (int j = 0; j < 3; j++) {
                        int path = (j + q + Math.max(round, 0)) % 3;
                        long t0 = System.nanoTime();
                        int hits = switch (path) {
                            case 0 -> direct.search(dev.lsr.engine.Query.vector(engineVectors[q]).withK(10)
                                    .withMode(dev.lsr.index.SearchMode.APPROXIMATE)).hits().size();
                            case 1 -> lsr.search("bench", SearchQuery.vector(byText.get("q" + q)).withK(10)
                                    .withMode(SearchMode.APPROXIMATE)).hits().size();
                            default -> retriever.retrieve(Query.from("q" + q)).size();
                        };
                        long dt = System.nanoTime() - t0;
                        if (hits != 10) {
                            throw new AssertionError("path " + path + " query " + q + ": " + hits + " hits");
                        }
                        if (round >= 0) {
                            t[path][n] = dt;
                        }
                    }
                    if (round >= 0) {
                        n++;
                    }
                }
                if (round == -1 && System.nanoTime() < warmUntil) {
                    round = -2; // keep warming up
                }
            }
            double[] p50 = new double[3];
            for (int p = 0; p < 3; p++) {
                p50[p] = median(t[p]) / 1000.0;
            }
            long[] embeddedMinusDirect = new long[n];
            long[] retrieverMinusDirect = new long[n];
            for (int i = 0; i < n; i++) {
                embeddedMinusDirect[i] = t[1][i] - t[0][i];
                retrieverMinusDirect[i] = t[2][i] - t[0][i];
            }
            String json = String.format(Locale.ROOT, "{\"docs\": %d, \"queries\": %d, \"rounds\": %d, \"k\": 10, \"mode\": \"approximate\", "
                            + "\"p50_us\": {\"engine\": %.1f, \"embedded_lsr\": %.1f, \"langchain4j_retriever\": %.1f}, "
                            + "\"overhead_p50_us\": {\"embedded_lsr\": %.1f, \"langchain4j_retriever\": %.1f}, "
                            + "\"paired_difference_p50_us\": {\"embedded_lsr\": %.1f, \"langchain4j_retriever\": %.1f}}",
                    docs, queries, rounds, p50[0], p50[1], p50[2], p50[1] - p50[0], p50[2] - p50[0],
                    median(embeddedMinusDirect) / 1000.0, median(retrieverMinusDirect) / 1000.0);
            System.out.println("OVERHEAD " + json);
            Files.writeString(Path.of("target/overhead.json"), json + "\n");
        }
    }

    private static SparseVector client(dev.lsr.seismic.SparseVector v) {
        return SparseVector.of(v.indices(), v.values());
    }

    private static double median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
