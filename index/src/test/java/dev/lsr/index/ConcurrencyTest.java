package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {

    @TempDir
    Path tmp;

    @Test
    void searchesRunWhileWritesRefreshAndMerge() throws Exception {
        CollectionSettings s = CollectionSettings.defaults().withDim(TestVectors.DIM).withRefreshIntervalMs(20)
                .withWriter(new WriterSettings(null, 60, true));
        try (Collection c = Collection.create(tmp.resolve("c"), s)) {
            // Documents "s*" are stable: every search must see all of their matches all the time.
            List<Document> stable = TestVectors.documents(11, 0, 200).stream()
                    .map(d -> new Document("s" + d.id(), d.title(), d.text(), d.metadata(), d.vector())).toList();
            c.upsert(stable);
            c.refresh();
            SparseVector q = stable.get(17).vector();
            List<String> expected = CollectionTest.ids(c.search(SearchRequest.exact(q, 5).withFilter(Filter.parse(
                    "{\"terms\": {\"id\": [\"sd17\", \"sd18\", \"sd19\"]}}"))));
            assertThat(expected).startsWith("sd17");

            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            Future<Integer> writer = pool.submit(() -> {
                int batches = 0;
                for (int from = 1000; !stop.get() && batches < 40; from += 50, batches++) {
                    c.upsert(TestVectors.documents(from, from, 50));
                    if (batches % 5 == 0) {
                        c.delete("d" + (from - 20));
                    }
                }
                return batches;
            });
            List<Future<Integer>> readers = List.of(pool.submit(() -> search(c, q, expected, stop)),
                    pool.submit(() -> search(c, q, expected, stop)));
            assertThat(writer.get(60, TimeUnit.SECONDS)).isPositive();
            stop.set(true);
            for (Future<Integer> r : readers) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isPositive();
            }
            pool.shutdown();
            c.refresh();
            assertThat(c.stats().docs()).isGreaterThan(200);
        }
    }

    private static int search(Collection c, SparseVector q, List<String> expected, AtomicBoolean stop) {
        int n = 0;
        SplittableRandom rnd = new SplittableRandom(n);
        Filter f = Filter.parse("{\"terms\": {\"id\": [\"sd17\", \"sd18\", \"sd19\"]}}");
        while (!stop.get() || n == 0) {
            assertThat(CollectionTest.ids(c.search(SearchRequest.sparse(q, 5).withFilter(f)))).isEqualTo(expected);
            assertThat(c.search(SearchRequest.sparse(TestVectors.random(rnd, 8), 10)).hits()).isNotEmpty();
            n++;
        }
        return n;
    }
}
