package dev.lsr.seismic.tune;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Measures search settings of one build on the tuning queries ({@link RecallTuner#measure}),
 * the queries split over {@code threads} searchers that run at once. Each query's latency is
 * still that of one search on one thread; running the parts side by side only shortens the
 * sweep's wall time (in a collection, a flush waits for it while the build threads are idle).
 * Recall does not depend on the split. Close it to stop its threads.
 */
final class SettingMeasure implements AutoCloseable {

    private final RecallTuner.Queries qs;
    private final int[][] truth;
    private final int parts;
    private final SeismicSearcher[] searchers;
    private final ForkJoinPool pool;
    private final long[] lat;
    private final boolean sketched;

    SettingMeasure(SeismicIndex index, RecallTuner.Queries qs, int[][] truth, int threads) {
        this.sketched = index.sketches().present();
        this.qs = qs;
        this.truth = truth;
        this.parts = Math.max(1, Math.min(threads, qs.vectors().length));
        this.searchers = new SeismicSearcher[parts];
        for (int p = 0; p < parts; p++) {
            searchers[p] = index.newSearcher();
        }
        this.pool = parts > 1 ? new ForkJoinPool(parts) : null;
        this.lat = new long[qs.vectors().length];
    }

    /** Whether the index scores candidates on document sketches (so the rerank depth matters). */
    boolean sketched() {
        return sketched;
    }

    /** Recall and latency of {@code sp} over every tuning query. */
    TunePoint at(SearchParams sp) {
        int nq = qs.vectors().length;
        long[][] counts = new long[parts][];
        long[] scored = new long[parts];
        run(p -> {
            long d0 = searchers[p].docsScored();
            counts[p] = RecallTuner.count(searchers[p], qs, truth, sp, (int) ((long) nq * p / parts),
                    (int) ((long) nq * (p + 1) / parts), new int[sp.k()], new float[sp.k()], lat);
            scored[p] = searchers[p].docsScored() - d0;
        });
        long hits = 0;
        long total = 0;
        for (long[] c : counts) {
            hits += c[0];
            total += c[1];
        }
        return RecallTuner.point(sp, hits, total, lat, Arrays.stream(scored).sum());
    }

    /** Runs every query once with {@code sp}, unmeasured (JIT warm-up). */
    void warm(SearchParams sp) {
        run(p -> {
            int[] ords = new int[sp.k()];
            float[] scores = new float[sp.k()];
            for (int i = p; i < qs.vectors().length; i += parts) {
                searchers[p].search(qs.vectors()[i], sp, qs.accept(i), ords, scores);
            }
        });
    }

    private void run(java.util.function.IntConsumer part) {
        if (pool == null) {
            part.accept(0);
            return;
        }
        try {
            pool.submit(() -> IntStream.range(0, parts).parallel().forEach(part)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tuning interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
