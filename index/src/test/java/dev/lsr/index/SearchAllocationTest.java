package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.WriterSettings;
import dev.lsr.seismic.SparseVector;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm collection's search allocates per query only what its hits need: no dense query of
 * {@code dim} floats, no filter bitset of {@code maxDoc} bits (both pooled). Measured with the
 * JVM's per-thread allocation counter; before pooling, a query over a 30,522-term vocabulary
 * allocated at least 122 KB (the dense query alone).
 */
class SearchAllocationTest {

    static final int DIM = 30522;

    @TempDir
    Path tmp;

    @Test
    void warmSearchAllocatesNoDenseQueryOrBitset() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
                && mx.isThreadAllocatedMemorySupported(), "per-thread allocation counter unavailable");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        CollectionSettings s = CollectionSettings.defaults().withDim(DIM).withRefreshIntervalMs(0)
                .withExactSegmentMaxDocs(500).withWriter(new WriterSettings(null, 1000, false));
        SplittableRandom rnd = new SplittableRandom(3);
        try (Collection c = Collection.create(tmp.resolve("c"), s)) {
            for (int seg = 0; seg < 3; seg++) {
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    int n = seg * 1000 + i;
                    docs.add(new Document("d" + n, null, null, Map.of("even", n % 2 == 0), vector(rnd, 40)));
                }
                c.upsert(docs);
                c.refresh();
            }
            c.awaitBuilds();
            assertThat(c.stats().seismicSegments()).isEqualTo(3);
            List<SearchRequest> requests = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                SearchRequest r = SearchRequest.sparse(vector(rnd, 20), 10).withStoredFields(false);
                requests.add(i % 2 == 0 ? r : r.withFilter(Filter.term("even", true)));
            }
            for (int round = 0; round < 20; round++) {
                requests.forEach(c::search);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int round = 0; round < 10; round++) {
                requests.forEach(c::search);
            }
            long perQuery = (mx.getCurrentThreadAllocatedBytes() - before) / (10L * requests.size());
            System.out.printf("SearchAllocationTest: %,d bytes allocated per warm query (dim %,d)%n", perQuery, DIM);
            assertThat(perQuery).isLessThan(DIM * Float.BYTES / 2);
        }
    }

    static SparseVector vector(SplittableRandom rnd, int nnz) {
        int[] ids = rnd.ints(0, 3000).distinct().limit(nnz).sorted().toArray();
        float[] ws = new float[ids.length];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = 0.05f + 2f * (float) rnd.nextDouble();
        }
        return SparseVector.of(ids, ws, DIM);
    }
}
