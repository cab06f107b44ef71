package dev.lsr.seismic.io;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * {@code realistic:N[:seed]}: documents and held-out queries built from real learned sparse
 * vectors — the 6,980 MS MARCO dev queries encoded by SPLADE++ EnsembleDistil in
 * {@code shared/data/msmarco-dev/queries.splade-pp-ed.tsv.gz} — so that weights, sparsity and term
 * co-occurrence are those of a real model rather than of {@link SyntheticCollection}'s generator.
 *
 * <p>Construction. The real vectors are split (seeded) into a <em>base</em> pool and a
 * <em>held-out</em> pool ({@value #HELD_OUT_PERCENT}%). A document is a passage-like union of 3 to
 * 6 base vectors that share terms: a first vector drawn at random, then each further one drawn
 * among the base vectors that contain a term of the document so far (picked with probability
 * proportional to its weight) — the way a passage covers one subject from several angles. Weights
 * of a term present in several parts are combined by max; every weight gets log-normal jitter
 * (sigma {@value #JITTER}) and each term survives with probability {@value #KEEP}, so no two
 * documents are copies; a dozen low-weight expansion terms drawn by document frequency are added,
 * as SPLADE document vectors carry many small expansions. Documents average about 160 non-zeros.
 * Query {@code i} is the held-out vector {@code i} (in a seeded order); past the held-out pool,
 * queries are jittered held-out vectors. So queries never appear inside documents.
 *
 * <p>Term ids: the distinct tokens of the file, sorted, numbered from 0 ({@link #vocabulary()});
 * the same file read as an Anserini query TSV through that vocabulary gives the real queries in
 * the same id space. Document and query {@code i} depend only on {@code (seed, i)}: generation
 * streams and splits over threads. Immutable and thread-safe.
 */
public final class RealisticCollection implements GeneratedCollection {
    public static final long DEFAULT_SEED = 42L;
    public static final String SHARED_FILE = "data/msmarco-dev/queries.splade-pp-ed.tsv.gz";
    static final int HELD_OUT_PERCENT = 20;
    static final double JITTER = 0.25;
    static final double KEEP = 0.85;
    private static final int EXPANSIONS = 12;

    private final int size;
    private final long seed;
    private final Vocabulary vocabulary;
    /** The real vectors in file order, kept so that {@link #with} need not read the file again. */
    private final List<SparseVector> real;
    private final SparseVector[] base;
    private final SparseVector[] heldOut;
    /** Inverted index over the base pool: term -> base vector ids, CSR. */
    private final int[] postStart;
    private final int[] postVec;
    /** Cumulative document frequency over terms (base pool), for expansion terms. */
    private final double[] dfCum;

    private RealisticCollection(int size, long seed, Vocabulary vocabulary, List<SparseVector> real) {
        this.size = size;
        this.seed = seed;
        this.vocabulary = vocabulary;
        this.real = List.copyOf(real);
        int n = real.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x7EA1157EL);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = perm[i];
            perm[i] = perm[j];
            perm[j] = x;
        }
        int nHeld = Math.max(1, n * HELD_OUT_PERCENT / 100);
        heldOut = new SparseVector[nHeld];
        base = new SparseVector[n - nHeld];
        for (int i = 0; i < n; i++) {
            if (i < nHeld) {
                heldOut[i] = real.get(perm[i]);
            } else {
                base[i - nHeld] = real.get(perm[i]);
            }
        }
        int dim = vocabulary.size();
        postStart = new int[dim + 1];
        for (SparseVector v : base) {
            for (int j = 0; j < v.size(); j++) {
                postStart[v.index(j) + 1]++;
            }
        }
        for (int t = 0; t < dim; t++) {
            postStart[t + 1] += postStart[t];
        }
        postVec = new int[postStart[dim]];
        int[] fill = Arrays.copyOf(postStart, dim);
        for (int b = 0; b < base.length; b++) {
            SparseVector v = base[b];
            for (int j = 0; j < v.size(); j++) {
                postVec[fill[v.index(j)]++] = b;
            }
        }
        dfCum = new double[dim];
        double acc = 0;
        for (int t = 0; t < dim; t++) {
            acc += postStart[t + 1] - postStart[t];
            dfCum[t] = acc;
        }
        for (int t = 0; t < dim; t++) {
            dfCum[t] /= acc;
        }
    }

    /**
     * Builds the collection from the shared SPLADE++ query file, read once (it is ~1 GB of text:
     * each token is repeated once per hundredth of its weight).
     */
    public static RealisticCollection of(Path splAdeQueriesTsv, int size, long seed) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("realistic size must be >= 0, was " + size);
        }
        List<String[]> lineTokens = new ArrayList<>();
        List<int[]> lineCounts = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(AnseriniQueryTsv.open(splAdeQueriesTsv),
                java.nio.charset.StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            List<String> toks = new ArrayList<>();
            List<Integer> runs = new ArrayList<>();
            while ((line = r.readLine()) != null) {
                int pos = line.indexOf('\t') + 1;
                if (pos == 0) {
                    continue;
                }
                toks.clear();
                runs.clear();
                // Tokens come in runs of repetitions (lines reach 300k characters): compare in
                // place and make a string once per run.
                int prevFrom = -1;
                int prevLen = 0;
                int len = line.length();
                while (pos < len) {
                    int sp = line.indexOf(' ', pos);
                    int end = sp < 0 ? len : sp;
                    int tl = end - pos;
                    if (tl > 0) {
                        if (tl == prevLen && line.regionMatches(pos, line, prevFrom, tl)) {
                            runs.set(runs.size() - 1, runs.getLast() + 1);
                        } else {
                            toks.add(line.substring(pos, end));
                            runs.add(1);
                            prevFrom = pos;
                            prevLen = tl;
                        }
                    }
                    pos = end + 1;
                }
                if (toks.isEmpty()) {
                    continue;
                }
                all.addAll(toks);
                lineTokens.add(toks.toArray(String[]::new));
                lineCounts.add(runs.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        if (lineTokens.size() < 10) {
            throw new IllegalArgumentException(splAdeQueriesTsv + ": too few vectors (" + lineTokens.size() + ") to build a collection");
        }
        Vocabulary vocab = new Vocabulary(new ArrayList<>(all));
        List<SparseVector> vs = new ArrayList<>(lineTokens.size());
        java.util.Map<Integer, Float> merged = new java.util.TreeMap<>();
        for (int l = 0; l < lineTokens.size(); l++) {
            String[] ts = lineTokens.get(l);
            int[] cs = lineCounts.get(l);
            merged.clear();
            for (int i = 0; i < ts.length; i++) {
                merged.merge(vocab.idOrThrow(ts[i]), cs[i] * AnseriniQueryTsv.DEFAULT_SCALE, Float::sum);
            }
            int[] ids = new int[merged.size()];
            float[] ws = new float[merged.size()];
            int i = 0;
            for (var e : merged.entrySet()) {
                ids[i] = e.getKey();
                ws[i++] = e.getValue();
            }
            vs.add(SparseVector.of(ids, ws, vocab.size()));
        }
        return new RealisticCollection(size, seed, vocab, vs);
    }

    /**
     * Parses {@code realistic:N[:seed]}, reading the shared file from {@link #sharedFile()}; the
     * exception's message names what is wrong or missing.
     */
    public static RealisticCollection parse(String spec) {
        GeneratedSpec parsed = GeneratedSpec.parse(spec, "realistic", DEFAULT_SEED);
        int n = parsed.size();
        long s = parsed.seed();
        Path file = sharedFile();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(spec + ": needs the real SPLADE++ vectors at " + file
                    + " (set LSR_SHARED or -Dlsr.shared to the shared directory)");
        }
        try {
            return of(file, n, s);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The collection of {@code size} documents and {@code seed} over the same real vectors, without
     * reading the shared file again (it is ~1 GB of text): equal, document for document and query
     * for query, to {@code parse("realistic:size:seed")}.
     */
    public RealisticCollection with(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("realistic size must be >= 0, was " + size);
        }
        return new RealisticCollection(size, seed, vocabulary, real);
    }

    public static boolean isSpec(String src) {
        return src != null && src.startsWith("realistic:");
    }

    /**
     * Where the shared SPLADE++ file is: {@code -Dlsr.shared}, else {@code $LSR_SHARED}, else the
     * first of {@code ../shared}, {@code ../../shared} that holds it (the project root and a module
     * directory both find the checkout's sibling).
     */
    public static Path sharedFile() {
        String root = System.getProperty("lsr.shared", System.getenv("LSR_SHARED"));
        if (root != null && !root.isBlank()) {
            return Path.of(root).resolve(SHARED_FILE);
        }
        for (String r : new String[] {"../shared", "../../shared"}) {
            Path p = Path.of(r).resolve(SHARED_FILE);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return Path.of("../shared").resolve(SHARED_FILE);
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
        return vocabulary.size();
    }

    /** Always present: the real tokens behind the ids. */
    @Override
    public java.util.Optional<Vocabulary> vocabulary() {
        return java.util.Optional.of(vocabulary);
    }

    /** How many distinct real vectors queries are drawn from before they repeat jittered. */
    public int heldOutCount() {
        return heldOut.length;
    }

    /** Document {@code i} (any i >= 0). */
    @Override
    public SparseVector document(int i) {
        SplittableRandom rnd = new SplittableRandom(Draws.mix(seed, i));
        int parts = 3 + rnd.nextInt(4);
        int dim = vocabulary.size();
        // Dense scratch per call keeps generation thread-safe; small next to the vectors made.
        float[] acc = new float[dim];
        int[] terms = new int[512];
        int nt = 0;
        SparseVector first = base[rnd.nextInt(base.length)];
        nt = merge(first, acc, terms, nt);
        for (int p = 1; p < parts; p++) {
            int t = pickTerm(acc, terms, nt, rnd);
            int from = postStart[t];
            int to = postStart[t + 1];
            SparseVector v = to > from ? base[postVec[from + rnd.nextInt(to - from)]] : base[rnd.nextInt(base.length)];
            nt = merge(v, acc, terms, nt);
        }
        int[] ids = new int[nt + EXPANSIONS];
        float[] ws = new float[nt + EXPANSIONS];
        int m = 0;
        for (int j = 0; j < nt; j++) {
            int t = terms[j];
            float w = acc[t];
            acc[t] = 0f;
            if (rnd.nextDouble() < KEEP) {
                ids[m] = t;
                ws[m++] = jitter(w, rnd);
            }
        }
        for (int e = 0; e < EXPANSIONS; e++) {
            int t = Draws.sample(dfCum, rnd.nextDouble());
            if (!contains(ids, m, t)) {
                double u = rnd.nextDouble();
                ids[m] = t;
                ws[m++] = (float) (0.02 + 0.3 * u * u);
            }
        }
        return SparseVector.ofUnsorted(Arrays.copyOf(ids, m), Arrays.copyOf(ws, m), dim);
    }

    /** Query {@code i}: held-out vector {@code i}, or a jittered one past the held-out pool. */
    @Override
    public SparseVector query(int i) {
        SparseVector q = heldOut[i % heldOut.length];
        if (i < heldOut.length) {
            return q;
        }
        SplittableRandom rnd = new SplittableRandom(Draws.mix(~seed, 0x40000000L + i));
        int[] ids = new int[q.size()];
        float[] ws = new float[q.size()];
        int m = 0;
        for (int j = 0; j < q.size(); j++) {
            if (j == 0 || rnd.nextDouble() < 0.9) {
                ids[m] = q.index(j);
                ws[m++] = jitter(q.value(j), rnd);
            }
        }
        return SparseVector.ofUnsorted(Arrays.copyOf(ids, m), Arrays.copyOf(ws, m), vocabulary.size());
    }

    private static boolean contains(int[] ids, int m, int t) {
        for (int j = 0; j < m; j++) {
            if (ids[j] == t) {
                return true;
            }
        }
        return false;
    }

    private static float jitter(float w, SplittableRandom rnd) {
        return (float) Math.clamp(w * Math.exp(JITTER * rnd.nextGaussian()), 0.01, 100.0);
    }

    private static int merge(SparseVector v, float[] acc, int[] terms, int nt) {
        for (int j = 0; j < v.size(); j++) {
            int t = v.index(j);
            float w = v.value(j);
            if (acc[t] == 0f) {
                if (nt == terms.length) {
                    return nt;
                }
                terms[nt++] = t;
                acc[t] = w;
            } else if (w > acc[t]) {
                acc[t] = w;
            }
        }
        return nt;
    }

    /** A term of the document so far, with probability proportional to its weight. */
    private static int pickTerm(float[] acc, int[] terms, int nt, SplittableRandom rnd) {
        double total = 0;
        for (int j = 0; j < nt; j++) {
            total += acc[terms[j]];
        }
        double u = rnd.nextDouble() * total;
        for (int j = 0; j < nt; j++) {
            u -= acc[terms[j]];
            if (u <= 0) {
                return terms[j];
            }
        }
        return terms[nt - 1];
    }

}
