package dev.lsr.eval.bench;

import dev.lsr.eval.report.Latencies;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import me.tongfei.progressbar.ProgressBar;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.IOUtils;

/** The Lucene {@code FeatureField} impacts baseline on the same vectors. */
public final class LuceneMeasurement {
    private LuceneMeasurement() {}

    /**
     * Indexes the forward index's vectors under {@code saveDirOrNull/lucene} (a temporary directory,
     * deleted afterwards, when null) and measures top-k.
     */
    public static MethodStats measure(ForwardIndex forward, SparseVector[] queries, int k, int[][] truth, Timing timing,
            int threads, Path saveDirOrNull, Bars bars) throws Exception {
        Path path = saveDirOrNull != null ? saveDirOrNull.resolve("lucene") : Files.createTempDirectory("lsr-bench-lucene");
        int nq = queries.length;
        try {
            long t0 = System.nanoTime();
            LuceneBaseline lb;
            try (ProgressBar bar = bars.open("lucene index", forward.size())) {
                lb = LuceneBaseline.build(forward, path, threads, bar::stepBy);
            }
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            try (lb) {
                Query[] lq = Arrays.stream(queries).map(LuceneBaseline::query).toArray(Query[]::new);
                Latencies lat = QueryTimer.latency(i -> lb.search(lq[i], k), nq, timing);
                int[][] got = new int[nq][];
                for (int i = 0; i < nq; i++) {
                    TopDocs td = lb.search(lq[i], k);
                    got[i] = lb.ordinals(td);
                }
                double qps = QueryTimer.qps(() -> i -> lb.search(lq[i], k), nq, threads, timing);
                return new MethodStats(Recall.at(truth, got, 10), lat, qps, buildSeconds, lb.bytes())
                        .with("segments", lb.segments());
            }
        } finally {
            if (saveDirOrNull == null) {
                try {
                    IOUtils.rm(path);
                } catch (IOException e) {
                    System.err.println("note: could not delete " + path + ": " + e.getMessage());
                }
            }
        }
    }
}
