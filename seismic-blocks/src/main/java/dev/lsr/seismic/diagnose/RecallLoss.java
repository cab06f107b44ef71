package dev.lsr.seismic.diagnose;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.search.SeismicSearcher;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Where the exact top-k documents an approximate search missed were lost. For a missed document
 * {@code d} of query {@code q} and the search's {@code queryCut}:
 * <ul>
 *   <li>{@code skippedBlock}: d is in the pruned list of one of the visited terms, so the search
 *       passed it by skipping its block (its summary promised too little);</li>
 *   <li>{@code beyondQueryCut}: d is in no visited list, but in the pruned list of a query term
 *       beyond the cut;</li>
 *   <li>{@code pruned}: static pruning removed d from the lists of every query term.</li>
 * </ul>
 * For skipped blocks it also records how the block's summary score compared with the document's
 * real score ({@code summaryUnderDoc}: the summary was not an upper bound of the document), which
 * separates a weak summary from a block rightly skipped at the heap threshold. On an index with
 * document sketches, a document whose block was opened but whose sketch ranked it below the rerank
 * depth is counted as {@code skippedBlock} too (this analysis does not replay the traversal).
 *
 * <p>Diagnostic, not a hot path: each call allocates.
 */
public final class RecallLoss {

    /** Counts over all analysed queries. */
    public record Counts(long missed, long skippedBlock, long beyondQueryCut, long pruned, long summaryUnderDoc) {
        public Counts plus(Counts o) {
            return new Counts(missed + o.missed, skippedBlock + o.skippedBlock, beyondQueryCut + o.beyondQueryCut,
                    pruned + o.pruned, summaryUnderDoc + o.summaryUnderDoc);
        }

        public static Counts zero() {
            return new Counts(0, 0, 0, 0, 0);
        }
    }

    private final SeismicIndex index;

    public RecallLoss(SeismicIndex index) {
        this.index = index;
    }

    /**
     * Classifies each document of {@code exact} (the exact top-k ordinals) that {@code approx}
     * (the approximate result) does not hold.
     */
    public Counts analyse(SparseVector q, int queryCut, int[] exact, int exactCount, int[] approx, int approxCount) {
        int[] got = Arrays.copyOf(approx, approxCount);
        Arrays.sort(got);
        Integer[] order = new Integer[q.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Same term order as the searcher: weight descending, ties by position.
        Arrays.sort(order, (a, b) -> Float.compare(q.value(b), q.value(a)));
        int cut = Math.min(queryCut, q.size());
        float[] dense = new float[index.dim()];
        for (int i = 0; i < q.size(); i++) {
            if (q.index(i) < dense.length) {
                dense[q.index(i)] = q.value(i);
            }
        }
        long missed = 0;
        long skipped = 0;
        long beyond = 0;
        long pruned = 0;
        long under = 0;
        for (int x = 0; x < exactCount; x++) {
            int d = exact[x];
            if (Arrays.binarySearch(got, d) >= 0) {
                continue;
            }
            missed++;
            float docScore = index.forward().dot(d, dense);
            boolean inVisited = false;
            boolean summaryUnder = false;
            for (int j = 0; j < cut; j++) {
                int t = q.index(order[j]);
                int b = blockOf(t, d);
                if (b >= 0) {
                    inVisited = true;
                    if (SeismicSearcher.summaryDotReference(index, b, dense) < docScore) {
                        summaryUnder = true;
                    }
                }
            }
            if (inVisited) {
                skipped++;
                if (summaryUnder) {
                    under++;
                }
                continue;
            }
            boolean inLater = false;
            for (int j = cut; j < order.length && !inLater; j++) {
                inLater = blockOf(q.index(order[j]), d) >= 0;
            }
            if (inLater) {
                beyond++;
            } else {
                pruned++;
            }
        }
        return new Counts(missed, skipped, beyond, pruned, under);
    }

    /** The block of term {@code t}'s list that holds {@code d}, or -1. */
    private int blockOf(int t, int d) {
        if (t >= index.dim()) {
            return -1;
        }
        MemorySegment lb = index.listBlocks();
        MemorySegment bp = index.blockPostings();
        MemorySegment post = index.postings();
        int b0 = lb.get(Layouts.I32, t * 4L);
        int b1 = lb.get(Layouts.I32, (t + 1L) * 4);
        for (int b = b0; b < b1; b++) {
            long p0 = Integer.toUnsignedLong(bp.get(Layouts.I32, b * 4L));
            long p1 = Integer.toUnsignedLong(bp.get(Layouts.I32, (b + 1L) * 4));
            for (long e = p0; e < p1; e++) {
                if (post.get(Layouts.I32, e * 4) == d) {
                    return b;
                }
            }
        }
        return -1;
    }
}
