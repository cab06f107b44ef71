package dev.lsr.seismic.tune;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.BuildProgress;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.search.ExactSearcher;
import dev.lsr.seismic.search.InvertedExactSearcher;
import dev.lsr.seismic.search.InvertedLists;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Builds a Seismic index for a recall target instead of hand-set knobs. The build parameters come
 * from the data ({@link BuildParams#forCollection}); the search setting ({@code queryCut},
 * {@code heapFactor}) is measured: candidate settings are run on tuning queries against exact
 * search, and the fastest that reaches {@code recallTarget + margin} wins. When no setting reaches
 * it, the index is rebuilt denser (more postings, larger summaries) up to {@value #MAX_BUILDS}
 * builds in all.
 *
 * <p>Tuning queries are pseudo-queries drawn from the documents themselves unless the caller
 * gives its own. Each takes a third of a document's terms (between {@value #MIN_PSEUDO_TERMS} and
 * {@value #MAX_PSEUDO_TERMS}) sampled with probability proportional to their weight, and its
 * source document is excluded from both the exact and the approximate results. Half of them keep
 * the document's weights (jittered); the other half get weights drawn at random from the
 * document's own weights, unrelated to the term, as a real query's weights are unrelated to any
 * one document's. Measured on held-out queries (module README): a document's plain top terms
 * tuned a realistic collection to 0.925 where held-out queries got 0.887; weight-aligned
 * pseudo-queries alone are too easy on realistic data, unaligned ones alone far too hard on
 * synthetic data, and their mix tracks held-out recall on both within about 0.01-0.03 (erring
 * low on synthetic). The queries a benchmark measures are never seen here.
 *
 * <pre>{@code
 * TunedIndex t = RecallTuner.tune(forward, TuneOptions.forTarget(0.95));
 * int n = t.index().newSearcher().search(query, t.search(), null, ords, scores);
 * }</pre>
 */
public final class RecallTuner {
    static final int MAX_BUILDS = 3;
    static final int MIN_PSEUDO_TERMS = 5;
    static final int MAX_PSEUDO_TERMS = 64;
    /** Candidate query cuts, ascending; heap factors, from the most to the least aggressive. */
    static final int[] QUERY_CUTS = {2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50};
    static final float[] HEAP_FACTORS = {1.0f, 0.95f, 0.9f, 0.85f, 0.8f, 0.75f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f};
    /** Least warm-up before the sweep's first measured setting (at least one pass over the queries). */
    static final long WARM_UP_NANOS = 150_000_000L;

    private RecallTuner() {}

    public static TunedIndex tune(ForwardIndex forward, TuneOptions options) {
        return tune(forward, BuildParams.forCollection(forward.size(), forward.nnz(), forward.dim()), options, BuildProgress.NONE);
    }

    /**
     * Tunes starting from {@code start} (its threads and seed are kept; pruning budget and summary
     * mass may be raised when the target is not reached).
     */
    public static TunedIndex tune(ForwardIndex forward, BuildParams start, TuneOptions options, BuildProgress progress) {
        long t0 = System.nanoTime();
        Queries qs = options.tuningQueries() != null ? explicit(options.tuningQueries()) : pseudo(forward, options);
        int k = options.k();
        int[][] truth = exactTruth(forward, qs, k, options.effectiveThreads());
        double goal = Math.min(1.0, options.recallTarget() + options.margin());
        BuildParams bp = start;
        TunedIndex best = null;
        for (int b = 1; b <= MAX_BUILDS; b++) {
            progress.update("tune-build", b - 1, MAX_BUILDS);
            SeismicIndex index = SeismicBuilder.build(forward, bp, progress);
            List<TunePoint> measured = new ArrayList<>();
            // The widest setting allowed first: recall only grows with the query cut and as the heap
            // factor falls, so a build this misses is one no setting of the sweep reaches. Measured on
            // realistic 20,000-document segments, whose first build always misses, sweeping such a
            // build was the largest share of a flush (every cut x every heap factor, nothing to stop at).
            TunePoint chosen;
            try (SettingMeasure m = new SettingMeasure(index, qs, truth, options.effectiveThreads())) {
                SearchParams widestSetting = new SearchParams(k, widestCut(qs, options.maxQueryCut()),
                        HEAP_FACTORS[HEAP_FACTORS.length - 1], false);
                TunePoint widest = m.at(widestSetting);
                measured.add(widest);
                int rerank = widest.recall() >= goal ? 0 : deeperRerank(m, widestSetting, options.maxRerank(), goal, measured);
                chosen = rerank >= 0 ? sweep(m, qs, k, goal, options.maxQueryCut(), rerank, measured) : null;
            }
            boolean reached = chosen != null;
            if (!reached) {
                chosen = measured.stream().max((x, y) -> Double.compare(x.recall(), y.recall())).orElseThrow();
            }
            SearchParams sp = new SearchParams(k, chosen.queryCut(), chosen.heapFactor(), false, chosen.rerank());
            best = new TunedIndex(index, bp, sp, chosen, reached, measured, b, qs.vectors.length,
                    (System.nanoTime() - t0) / 1e9);
            if (reached || bp.summaryAlpha() >= 0.9f && bp.pruning() == BuildParams.Pruning.FIXED) {
                break;
            }
            bp = denser(bp, options.budgetGrowth());
        }
        progress.update("tune-build", MAX_BUILDS, MAX_BUILDS);
        return best;
    }

    /**
     * When the widest setting misses the goal at the automatic rerank depth: the smallest of twice
     * and four times that depth (up to {@code maxRerank}) at which it reaches it, or -1 (none: the
     * lists themselves lose the hits, so the build must be denser). With document sketches, what a
     * search loses is either a document its visited blocks never held or one whose sketch ranked it
     * below the rerank depth; a denser build only helps the first.
     */
    static int deeperRerank(SettingMeasure m, SearchParams widest, int maxRerank, double goal, List<TunePoint> measured) {
        if (!m.sketched()) {
            return -1;
        }
        int auto = widest.rerankDepth();
        for (int depth = 2 * auto; depth <= maxRerank; depth *= 2) {
            TunePoint p = m.at(widest.withRerank(depth));
            measured.add(p);
            if (p.recall() >= goal) {
                return depth;
            }
        }
        return -1;
    }

    /** The next build when the target was missed: twice the postings, more summary mass. */
    static BuildParams denser(BuildParams bp) {
        return denser(bp, 2.0);
    }

    /** The next build when the target was missed: {@code growth} times the postings, more summary mass. */
    static BuildParams denser(BuildParams bp, double growth) {
        int np = (int) Math.min(Integer.MAX_VALUE / 4, Math.ceil(bp.nPostings() * growth));
        return bp.withNPostings(np).withSummaryAlpha(Math.min(0.9f, bp.summaryAlpha() + 0.15f));
    }

    /**
     * For each query cut (ascending), the first heap factor (most aggressive first) that reaches
     * the goal ({@link #fastestReaching}); the fastest of those wins. Cuts below
     * {@link #smallestReachingCut} are skipped.
     */
    static TunePoint sweep(SeismicIndex index, Queries qs, int[][] truth, int k, double goal, List<TunePoint> measured) {
        try (SettingMeasure m = new SettingMeasure(index, qs, truth, 1)) {
            return sweep(m, qs, k, goal, Integer.MAX_VALUE, 0, measured);
        }
    }

    /**
     * As above, over the query cuts up to {@code maxQueryCut} (at least the smallest candidate),
     * every setting with rerank depth {@code rerank} (0: automatic).
     */
    static TunePoint sweep(SettingMeasure m, Queries qs, int k, double goal, int maxQueryCut, int rerank,
            List<TunePoint> measured) {
        Function<SearchParams, TunePoint> at = sp -> m.at(sp.withRerank(rerank));
        // Warm-up so the first candidate is not measured in the interpreter (a short one: the
        // widest setting was just measured on every query, and a JVM indexing several segments is
        // already warm after the first).
        SearchParams warm = new SearchParams(k, 10, 0.8f, false, rerank);
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        int w = 0;
        do {
            m.warm(warm);
        } while (++w < 1 || System.nanoTime() < warmUntil && w < 20);
        TunePoint best = null;
        int maxCut = 0;
        for (SparseVector q : qs.vectors) {
            maxCut = Math.max(maxCut, q.size());
        }
        int fromCut = smallestReachingCut(at, k, goal, widestCut(qs, maxQueryCut), measured);
        for (int qc : QUERY_CUTS) {
            if (qc > maxQueryCut && qc > QUERY_CUTS[0]) {
                break;
            }
            if (qc < fromCut) {
                continue;
            }
            TunePoint p = fastestReaching(at, k, qc, goal, best, measured);
            if (p != null && (best == null || p.meanUs() < best.meanUs())) {
                best = p;
            }
            if (qc >= maxCut) {
                break;
            }
        }
        return best;
    }

    /**
     * The smallest query cut (up to {@code widest}, which reaches the goal) at which the least
     * aggressive heap factor reaches the goal, by bisection: recall grows with the query cut, and
     * no heap factor does better than the least aggressive one, so no smaller cut can reach it.
     * The sweep skips those cuts instead of bisecting the heap factors of each (on realistic
     * 20,000-document segments, about half of the settings measured were at such cuts).
     */
    static int smallestReachingCut(Function<SearchParams, TunePoint> measure, int k, double goal, int widest,
            List<TunePoint> measured) {
        float loosest = HEAP_FACTORS[HEAP_FACTORS.length - 1];
        // Invariant: QUERY_CUTS[hi] reaches the goal; QUERY_CUTS[lo] misses it (lo = -1: unknown).
        int lo = -1;
        int hi = 0;
        while (QUERY_CUTS[hi] < widest) {
            hi++;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            TunePoint p = measure.apply(new SearchParams(k, QUERY_CUTS[mid], loosest, false));
            measured.add(p);
            if (p.recall() >= goal) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return QUERY_CUTS[hi];
    }

    /**
     * At one query cut, the most aggressive heap factor that reaches the goal, found by bisection
     * (recall falls as the heap factor rises), or null when none does or when the most aggressive
     * one is already no faster than {@code best} (lower heap factors only visit more blocks). The
     * linear scan this replaces measured up to all eleven heap factors per cut; bisection measures
     * at most five.
     */
    static TunePoint fastestReaching(Function<SearchParams, TunePoint> measure, int k, int qc, double goal,
            TunePoint best, List<TunePoint> measured) {
        TunePoint first = measure.apply(new SearchParams(k, qc, HEAP_FACTORS[0], false));
        measured.add(first);
        if (first.recall() >= goal) {
            return first;
        }
        if (best != null && first.meanUs() >= best.meanUs()) {
            return null;
        }
        // Invariant: HEAP_FACTORS[lo] misses the goal; HEAP_FACTORS[hi], if measured, reaches it.
        int lo = 0;
        int hi = HEAP_FACTORS.length;
        TunePoint reached = null;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            TunePoint p = measure.apply(new SearchParams(k, qc, HEAP_FACTORS[mid], false));
            measured.add(p);
            if (p.recall() >= goal) {
                hi = mid;
                reached = p;
            } else {
                if (best != null && p.meanUs() >= best.meanUs()) {
                    return null;   // every setting that could reach the goal here is slower still
                }
                lo = mid;
            }
        }
        return reached;
    }

    /** The widest query cut {@link #sweep} may try: the last candidate it would reach. */
    static int widestCut(Queries qs, int maxQueryCut) {
        int maxCut = 0;
        for (SparseVector q : qs.vectors) {
            maxCut = Math.max(maxCut, q.size());
        }
        int widest = QUERY_CUTS[0];
        for (int qc : QUERY_CUTS) {
            if (qc > maxQueryCut && qc > QUERY_CUTS[0]) {
                break;
            }
            widest = qc;
            if (qc >= maxCut) {
                break;
            }
        }
        return widest;
    }

    static TunePoint measure(SeismicSearcher s, Queries qs, int[][] truth, SearchParams sp, int[] ords, float[] scores, long[] lat) {
        long d0 = s.docsScored();
        long[] c = count(s, qs, truth, sp, 0, qs.vectors.length, ords, scores, lat);
        return point(sp, c[0], c[1], lat, s.docsScored() - d0);
    }

    /**
     * Runs the tuning queries {@code [from, to)} with {@code sp}, each latency into {@code lat[i]};
     * returns the hits found of their exact top-k and the size of those top-k.
     */
    static long[] count(SeismicSearcher s, Queries qs, int[][] truth, SearchParams sp, int from, int to, int[] ords,
            float[] scores, long[] lat) {
        long hits = 0;
        long total = 0;
        for (int i = from; i < to; i++) {
            long t = System.nanoTime();
            int n = s.search(qs.vectors[i], sp, qs.accept(i), ords, scores);
            lat[i] = System.nanoTime() - t;
            hits += overlap(truth[i], ords, n);
            total += truth[i].length;
        }
        return new long[] {hits, total};
    }

    /** The measured point: recall, and mean / median of every query's latency in {@code lat}. */
    static TunePoint point(SearchParams sp, long hits, long total, long[] lat, long docsScored) {
        long sum = 0;
        for (long l : lat) {
            sum += l;
        }
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        int nq = lat.length;
        return new TunePoint(sp.queryCut(), sp.heapFactor(), sp.rerank(), total == 0 ? 1.0 : hits / (double) total,
                sum / 1e3 / nq, sorted[nq / 2] / 1e3, docsScored / (double) nq);
    }

    private static int overlap(int[] truth, int[] got, int n) {
        int c = 0;
        for (int t : truth) {
            for (int j = 0; j < n; j++) {
                if (got[j] == t) {
                    c++;
                    break;
                }
            }
        }
        return c;
    }

    /** Tuning queries, and per query the document it was drawn from (-1: none). */
    record Queries(SparseVector[] vectors, int[] source) {
        IntPredicate accept(int i) {
            int src = source[i];
            return src < 0 ? null : ord -> ord != src;
        }
    }

    static Queries explicit(List<SparseVector> qs) {
        if (qs.isEmpty()) {
            throw new IllegalArgumentException("tuning queries must not be empty");
        }
        int[] src = new int[qs.size()];
        Arrays.fill(src, -1);
        return new Queries(qs.toArray(SparseVector[]::new), src);
    }

    /** Pseudo-queries from distinct documents drawn at random (seeded); see the class comment. */
    static Queries pseudo(ForwardIndex forward, TuneOptions o) {
        int n = forward.size();
        int m = Math.min(o.pseudoQueries(), n);
        if (m == 0) {
            throw new IllegalArgumentException("cannot tune on an empty collection");
        }
        SplittableRandom rnd = new SplittableRandom(o.seed());
        int[] docs = rnd.ints(0, n).distinct().limit(m).toArray();
        List<SparseVector> vs = new ArrayList<>(m);
        List<Integer> src = new ArrayList<>(m);
        for (int d : docs) {
            SparseVector v = forward.vector(d);
            if (v.size() == 0) {
                continue;
            }
            int keep = Math.clamp(v.size() / 3, Math.min(MIN_PSEUDO_TERMS, v.size()), MAX_PSEUDO_TERMS);
            SparseVector q = sampleTerms(v, keep, forward.dim(), rnd);
            vs.add(vs.size() % 2 == 0 ? q : unaligned(q, v, forward.dim(), rnd));
            src.add(d);
        }
        if (vs.isEmpty()) {
            throw new IllegalArgumentException("cannot tune: every sampled document is empty");
        }
        return new Queries(vs.toArray(SparseVector[]::new), src.stream().mapToInt(Integer::intValue).toArray());
    }

    /** {@code q}'s terms with weights drawn at random from the document's weights. */
    static SparseVector unaligned(SparseVector q, SparseVector doc, int dim, SplittableRandom rnd) {
        int[] ids = new int[q.size()];
        float[] ws = new float[q.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = q.index(i);
            ws[i] = doc.value(rnd.nextInt(doc.size()));
        }
        return SparseVector.of(ids, ws, dim);
    }

    /** Pseudo-query weight jitter (log-normal sigma). */
    static final double PSEUDO_JITTER = 0.5;

    /**
     * {@code keep} terms of {@code v} drawn without replacement with probability proportional to
     * their weight (Efraimidis-Spirakis keys {@code u^(1/w)}), weights jittered.
     */
    static SparseVector sampleTerms(SparseVector v, int keep, int dim, SplittableRandom rnd) {
        int len = v.size();
        long[] keyed = new long[len];
        for (int i = 0; i < len; i++) {
            double key = Math.pow(rnd.nextDouble(), 1.0 / v.value(i));
            // Non-negative doubles order like their bits; the low 20 bits carry the position.
            keyed[i] = (Double.doubleToRawLongBits(key) & ~0xFFFFFL) | i;
        }
        Arrays.sort(keyed);
        int[] ids = new int[keep];
        float[] ws = new float[keep];
        for (int j = 0; j < keep; j++) {
            int i = (int) (keyed[len - 1 - j] & 0xFFFFF);
            ids[j] = v.index(i);
            ws[j] = (float) Math.max(1e-3, v.value(i) * Math.exp(PSEUDO_JITTER * rnd.nextGaussian()));
        }
        return SparseVector.ofUnsorted(ids, ws, dim);
    }

    /**
     * Where the tuning queries' terms hold at most this many postings, their ground truth comes
     * from unpruned inverted lists of those terms (8 bytes per posting on the heap: at most 128 MB
     * here), else from the forward-index scan, which needs no extra memory.
     */
    static final long INVERTED_TRUTH_MAX_POSTINGS = 1L << 24;

    /**
     * Exact top-k of every tuning query, in parallel: through unpruned inverted lists of the
     * queries' terms where they fit ({@link #INVERTED_TRUTH_MAX_POSTINGS}; a pseudo-query reads only its own terms' postings,
     * where the scan decodes every document), else by scanning the forward index. Both give
     * {@link ExactSearcher}'s hits: the inverted searcher rescores its candidates with the same
     * {@link ForwardIndex#dot} and tie rule.
     */
    static int[][] exactTruth(ForwardIndex forward, Queries qs, int k, int threads) {
        boolean[] queryTerms = new boolean[forward.dim()];
        for (SparseVector q : qs.vectors) {
            for (int i = 0; i < q.size(); i++) {
                queryTerms[q.index(i)] = true;
            }
        }
        // Only the lists the tuning queries read: a 1M-document realistic merge's lists of every
        // term would hold 150M postings (1.2 GB), its scan took 63 s for 300 queries.
        InvertedLists lists = InvertedLists.postings(forward, queryTerms) <= INVERTED_TRUTH_MAX_POSTINGS
                ? InvertedLists.of(forward, queryTerms) : null;
        return exactTruth(forward, lists, qs, k, threads);
    }

    /** As above, through {@code listsOrNull} when given. */
    static int[][] exactTruth(ForwardIndex forward, InvertedLists listsOrNull, Queries qs, int k, int threads) {
        int nq = qs.vectors.length;
        int[][] truth = new int[nq][];
        int parts = Math.max(1, Math.min(threads, nq));
        ForkJoinPool pool = new ForkJoinPool(parts);
        try {
            // One searcher per part (their scratch is sized by the segment), queries strided over parts.
            pool.submit(() -> IntStream.range(0, parts).parallel().forEach(part -> {
                ExactSearcher scan = listsOrNull == null ? new ExactSearcher(forward) : null;
                InvertedExactSearcher inv = listsOrNull == null ? null
                        : new InvertedExactSearcher(listsOrNull, forward, InvertedExactSearcher.Strategy.MAX_SCORE);
                int[] ords = new int[k];
                float[] scores = new float[k];
                for (int i = part; i < nq; i += parts) {
                    int n = inv != null
                            ? inv.search(qs.vectors[i], SearchParams.exhaustive(k), qs.accept(i), ords, scores)
                            : scan.search(qs.vectors[i], SearchParams.exhaustive(k), qs.accept(i), ords, scores);
                    truth[i] = Arrays.copyOf(ords, n);
                }
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tuning interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        return truth;
    }
}
