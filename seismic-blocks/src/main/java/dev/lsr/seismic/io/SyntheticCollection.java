package dev.lsr.seismic.io;

import dev.lsr.seismic.SparseVector;
import java.util.SplittableRandom;

/**
 * A deterministic SPLADE-like collection ({@code synthetic:N[:seed]}): vocabulary 30,522;
 * about 120 non-zeros per document and 40 per query; weights in (0, 3].
 *
 * <p>Structure, so that clustering matters as on real data: term popularity follows a Zipf law;
 * there are {@value #TOPICS} topics, each a set of {@value #TOPIC_TERMS} terms drawn by popularity
 * and ranked inside the topic (a topic's first terms get the largest weights); topics themselves
 * are Zipf-popular. A document draws most terms from one primary topic, some from a secondary
 * topic, and the rest from the background popularity law with small weights. Queries come from
 * the same generator with fewer terms.
 *
 * <p>Document {@code i} depends only on {@code (seed, i)}, so generation is streaming and can be
 * split over threads. Queries use a disjoint random stream of the same seed. Immutable and
 * thread-safe.
 */
public final class SyntheticCollection implements GeneratedCollection {
    public static final int DIM = 30_522;
    public static final int TOPICS = 2_000;
    public static final int TOPIC_TERMS = 256;
    public static final long DEFAULT_SEED = 42L;

    private final int size;
    private final long seed;
    private final int[] termByRank;
    private final double[] termCum;
    private final double[] topicCum;
    private final double[] inTopicCum;
    private final int[] topicTerms;
    private final double[] rankBase;

    public SyntheticCollection(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        this.size = size;
        this.seed = seed;
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5EED5EEDL);
        termByRank = new int[DIM];
        for (int i = 0; i < DIM; i++) {
            termByRank[i] = i;
        }
        for (int i = DIM - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = termByRank[i];
            termByRank[i] = termByRank[j];
            termByRank[j] = x;
        }
        termCum = zipfCum(DIM, 1.0, 20);
        topicCum = zipfCum(TOPICS, 0.6, 5);
        inTopicCum = zipfCum(TOPIC_TERMS, 0.8, 3);
        rankBase = new double[TOPIC_TERMS];
        for (int r = 0; r < TOPIC_TERMS; r++) {
            rankBase[r] = 2.4 * Math.pow(r + 1, -0.3);
        }
        // Topic vocabularies favour mid-frequency terms: popular but not the very top.
        double[] topicTermCum = zipfCum(DIM, 0.9, 100);
        topicTerms = new int[TOPICS * TOPIC_TERMS];
        int[] seen = new int[DIM];
        for (int t = 0; t < TOPICS; t++) {
            int filled = 0;
            while (filled < TOPIC_TERMS) {
                int term = termByRank[Draws.sample(topicTermCum, rnd.nextDouble())];
                if (seen[term] != t + 1) {
                    seen[term] = t + 1;
                    topicTerms[t * TOPIC_TERMS + filled++] = term;
                }
            }
        }
    }

    /**
     * Parses {@code synthetic:N[:seed]}; the message of the exception names what is wrong.
     */
    public static SyntheticCollection parse(String spec) {
        GeneratedSpec s = GeneratedSpec.parse(spec, "synthetic", DEFAULT_SEED);
        return new SyntheticCollection(s.size(), s.seed());
    }

    public static boolean isSpec(String src) {
        return src != null && src.startsWith("synthetic:");
    }

    @Override
    public int size() {
        return size;
    }

    public long seed() {
        return seed;
    }

    @Override
    public int dim() {
        return DIM;
    }

    /** Document {@code i} (any i >= 0; {@link #size()} is only how many a consumer should take). */
    @Override
    public SparseVector document(int i) {
        SplittableRandom rnd = new SplittableRandom(Draws.mix(seed, i));
        return generate(rnd, 80 + rnd.nextInt(81));
    }

    /** Query {@code i}: same generator, about 40 non-zeros, independent of the documents. */
    @Override
    public SparseVector query(int i) {
        SplittableRandom rnd = new SplittableRandom(Draws.mix(~seed, 0x40000000L + i));
        return generate(rnd, 25 + rnd.nextInt(31));
    }

    private SparseVector generate(SplittableRandom rnd, int nnz) {
        int primary = Draws.sample(topicCum, rnd.nextDouble());
        int secondary = Draws.sample(topicCum, rnd.nextDouble());
        int[] ids = new int[nnz];
        float[] ws = new float[nnz];
        // Open-addressing set of used ids: per call, tiny, keeps generation thread-safe.
        int[] set = new int[512];
        int nPrimary = (int) Math.round(nnz * 0.65);
        int nSecondary = (int) Math.round(nnz * 0.15);
        int filled = 0;
        int guard = 0;
        while (filled < nnz && guard++ < nnz * 20) {
            int term;
            float w;
            if (filled < nPrimary + nSecondary) {
                int topic = filled < nPrimary ? primary : secondary;
                int rank = Draws.sample(inTopicCum, rnd.nextDouble());
                term = topicTerms[topic * TOPIC_TERMS + rank];
                double base = rankBase[rank];
                w = (float) (base * Math.exp(0.35 * rnd.nextGaussian()) * (filled < nPrimary ? 1.0 : 0.7));
            } else {
                term = termByRank[Draws.sample(termCum, rnd.nextDouble())];
                double u = rnd.nextDouble();
                w = (float) (0.05 + 0.6 * u * u);
            }
            if (!insert(set, term)) {
                continue;
            }
            ids[filled] = term;
            ws[filled] = Math.clamp(w, 0.01f, 3f);
            filled++;
        }
        if (filled < nnz) {
            ids = java.util.Arrays.copyOf(ids, filled);
            ws = java.util.Arrays.copyOf(ws, filled);
        }
        return SparseVector.ofUnsorted(ids, ws, DIM);
    }

    private static boolean insert(int[] set, int term) {
        int mask = set.length - 1;
        int h = (term * 0x9E3779B9) >>> 23 & mask;
        int key = term + 1;
        while (set[h] != 0) {
            if (set[h] == key) {
                return false;
            }
            h = (h + 1) & mask;
        }
        set[h] = key;
        return true;
    }


    private static double[] zipfCum(int n, double s, double offset) {
        double[] cum = new double[n];
        double acc = 0;
        for (int r = 0; r < n; r++) {
            acc += Math.pow(r + offset, -s);
            cum[r] = acc;
        }
        for (int r = 0; r < n; r++) {
            cum[r] /= acc;
        }
        return cum;
    }
}
