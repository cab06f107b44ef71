package dev.lsr.seismic.build;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a {@link SeismicIndex} from a {@link ForwardIndex} (Seismic, Bruch et al., SIGIR 2024):
 * static pruning of every posting list to its largest postings, clustering of each list into
 * blocks around sampled centroids, a u8-quantised alpha-mass summary per block, and optionally a
 * kNN graph for refinement (CIKM 2024). Lists are processed in parallel; the result is
 * deterministic for given parameters.
 */
public final class SeismicBuilder {

    /** Summary mass histogram: the top 8 bits of the positive half-float, 8 bins per octave. */
    private static final int BINS = 256;
    /**
     * Pruning histogram: 2 bins per octave, small enough (dim x 64 ints) to stay cache-friendly;
     * candidates of the boundary bin are sorted exactly afterwards.
     */
    private static final int PBINS = 64;

    private final ForwardIndex fwd;
    private final BuildParams params;
    private final BuildProgress progress;
    private final int dim;
    private final int n;
    private final boolean wide;
    private final WeightEncoding enc;
    private final MemorySegment offs;
    private final MemorySegment ids;
    private final MemorySegment ws;
    private final MemorySegment scales;

    private SeismicBuilder(ForwardIndex fwd, BuildParams params, BuildProgress progress) {
        this.fwd = fwd;
        this.params = params;
        this.progress = progress;
        this.dim = fwd.dim();
        this.n = fwd.size();
        this.wide = ForwardIndex.wideIds(dim);
        this.enc = fwd.encoding();
        this.offs = fwd.offsetsSegment();
        this.ids = fwd.idsSegment();
        this.ws = fwd.weightsSegment();
        this.scales = fwd.scalesSegment();
    }

    public static SeismicIndex build(ForwardIndex forward, BuildParams params) {
        return build(forward, params, BuildProgress.NONE);
    }

    public static SeismicIndex build(ForwardIndex forward, BuildParams params, BuildProgress progress) {
        return new SeismicBuilder(forward, params, progress).run();
    }

    private long start(int doc) {
        return offs.get(Layouts.I64, doc * 8L);
    }

    private int term(long e) {
        return wide ? ids.get(Layouts.I32, e * 4) : Short.toUnsignedInt(ids.get(Layouts.I16, e * 2));
    }

    private float weight(int doc, long e) {
        return enc == WeightEncoding.F16
                ? Float.float16ToFloat(ws.get(Layouts.I16, e * 2))
                : Byte.toUnsignedInt(ws.get(Layouts.U8, e)) * scales.get(Layouts.F32, doc * 4L);
    }

    private static int bin(float w) {
        int h = Float.floatToFloat16(w) & 0x7FFF;
        return Math.min(BINS - 1, h >>> 7);
    }

    /** Coarse weight bin of entry e of doc d, straight from the stored half-float when possible. */
    private int pbin(int d, long e) {
        int h = enc == WeightEncoding.F16 ? ws.get(Layouts.I16, e * 2) & 0x7FFF
                : Float.floatToFloat16(weight(d, e)) & 0x7FFF;
        return Math.min(PBINS - 1, h >>> 9);
    }

    private SeismicIndex run() {
        // Pass 1: per-term histogram of weights, to find each list's pruning threshold without
        // materialising all postings. Documents are split into one contiguous chunk per thread,
        // each with its own histogram, so that pass 2 can also run in parallel and in doc order.
        int threads = params.effectiveThreads();
        int chunks = Math.max(1, Math.min(threads, n / 4096 + 1));
        int[] chunkStart = new int[chunks + 1];
        for (int j = 0; j <= chunks; j++) {
            chunkStart[j] = (int) ((long) n * j / chunks);
        }
        int[][] hists = new int[chunks][];
        AtomicInteger nextChunk = new AtomicInteger();
        runWorkers(Math.min(threads, chunks), () -> {
            int j;
            while ((j = nextChunk.getAndIncrement()) < chunks) {
                int[] h = new int[dim * PBINS];
                for (int d = chunkStart[j]; d < chunkStart[j + 1]; d++) {
                    long e1 = start(d + 1);
                    for (long e = start(d); e < e1; e++) {
                        h[term(e) * PBINS + pbin(d, e)]++;
                    }
                }
                hists[j] = h;
            }
        });
        int[] hist = hists[0].clone();
        for (int j = 1; j < chunks; j++) {
            int[] h = hists[j];
            for (int i = 0; i < hist.length; i++) {
                hist[i] += h[i];
            }
        }
        int[] keep = new int[dim];
        int[] thrBin = new int[dim];
        chooseKeep(hist, keep, thrBin);

        // Pass 2: gather the candidate postings (bin >= threshold) of every list; chunk j writes
        // after the candidates of chunks before it, so lists come out in document order.
        long[] candStart = new long[dim + 1];
        int[][] chunkFill = new int[chunks][dim];
        for (int t = 0; t < dim; t++) {
            long c = candStart[t];
            for (int j = 0; j < chunks; j++) {
                chunkFill[j][t] = (int) Math.min(c, Integer.MAX_VALUE);
                for (int b = thrBin[t]; b < PBINS; b++) {
                    c += hists[j][t * PBINS + b];
                }
            }
            candStart[t + 1] = c;
        }
        hist = null;
        Arrays.fill(hists, null);
        if (candStart[dim] > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("too many postings kept (" + candStart[dim] + "); lower nPostings");
        }
        int[] candDoc = new int[(int) candStart[dim]];
        float[] candW = new float[candDoc.length];
        nextChunk.set(0);
        runWorkers(Math.min(threads, chunks), () -> {
            int j;
            while ((j = nextChunk.getAndIncrement()) < chunks) {
                int[] fill = chunkFill[j];
                for (int d = chunkStart[j]; d < chunkStart[j + 1]; d++) {
                    long e1 = start(d + 1);
                    for (long e = start(d); e < e1; e++) {
                        int t = term(e);
                        if (pbin(d, e) >= thrBin[t]) {
                            int at = fill[t]++;
                            candDoc[at] = d;
                            candW[at] = weight(d, e);
                        }
                    }
                }
            }
        });
        progress.update("prune", 1, 1);

        int docCut = params.docCut();
        int width = Math.max(docCut, params.summaryDocTerms());
        int[] topIds = new int[Math.multiplyExact(n, width)];
        float[] topWs = new float[topIds.length];
        parallel(threads, n, 4096, (from, to) -> {
            long[] scratch = new long[64];
            for (int d = from; d < to; d++) {
                scratch = topTerms(d, width, topIds, topWs, scratch);
            }
        }, "doc-top-terms");

        // Lists, largest first so that the last straggler is small.
        Integer[] order = new Integer[dim];
        for (int t = 0; t < dim; t++) {
            order[t] = t;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(keep[b], keep[a]));
        ListResult[] results = new ListResult[dim];
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        runWorkers(threads, () -> {
            ListWorker w = new ListWorker(topIds, topWs, width, candDoc, candW);
            int i;
            while ((i = next.getAndIncrement()) < dim) {
                int t = order[i];
                results[t] = w.build(t, (int) candStart[t], (int) candStart[t + 1], keep[t]);
                long dn = done.incrementAndGet();
                if ((dn & 255) == 0 || dn == dim) {
                    progress.update("blocks", dn, dim);
                }
            }
        });
        SeismicIndex index = assemble(results, 0, Arena.ofAuto().allocate(0, 8));
        if (params.kappa() > 0) {
            index = assemble(results, params.kappa(), knnGraph(index, threads));
        }
        return index;
    }

    /** Static pruning: decides how many postings each list keeps and the bin they start at. */
    private void chooseKeep(int[] hist, int[] keep, int[] thrBin) {
        long cap;
        int cutBin = 0;
        if (params.pruning() == BuildParams.Pruning.FIXED) {
            cap = params.nPostings();
        } else {
            cap = Math.max(1L, (long) Math.floor((double) params.maxFraction() * params.nPostings()));
            long budget = (long) params.nPostings() * dim;
            // total[b] = sum over lists of min(postings with bin >= b, cap): non-increasing in b.
            long[] total = new long[PBINS + 1];
            for (int t = 0; t < dim; t++) {
                long c = 0;
                for (int b = PBINS - 1; b >= 0; b--) {
                    c += hist[t * PBINS + b];
                    total[b] += Math.min(c, cap);
                }
            }
            cutBin = PBINS;
            while (cutBin > 0 && total[cutBin - 1] <= budget) {
                cutBin--;
            }
        }
        for (int t = 0; t < dim; t++) {
            long c = 0;
            int b = PBINS;
            long available = 0;
            for (int x = cutBin; x < PBINS; x++) {
                available += hist[t * PBINS + x];
            }
            int k = (int) Math.min(available, cap);
            while (b > 0 && c < k) {
                b--;
                c += hist[t * PBINS + b];
            }
            keep[t] = k;
            thrBin[t] = k == 0 ? PBINS : b;
        }
    }

    /** Writes the docCut largest terms of doc d (ties: lower term id) into the top arrays. */
    private long[] topTerms(int d, int docCut, int[] topIds, float[] topWs, long[] scratch) {
        long e0 = start(d);
        int len = (int) (start(d + 1) - e0);
        if (scratch.length < len) {
            scratch = new long[Math.max(len, scratch.length * 2)];
        }
        for (int i = 0; i < len; i++) {
            int t = term(e0 + i);
            // Largest weight first after an ascending sort: negate via the complement of the bits.
            scratch[i] = ((long) ~Float.floatToRawIntBits(weight(d, e0 + i)) << 32) | t;
        }
        Arrays.sort(scratch, 0, len);
        int base = d * docCut;
        for (int i = 0; i < docCut; i++) {
            if (i < len) {
                topIds[base + i] = (int) scratch[i];
                topWs[base + i] = Float.intBitsToFloat(~(int) (scratch[i] >>> 32));
            } else {
                topIds[base + i] = -1;
                topWs[base + i] = 0f;
            }
        }
        return scratch;
    }

    /** One posting list after pruning and clustering. */
    private record ListResult(int[] blockSizes, int[] docs, int[] summaryLens, int[] summaryIds,
            byte[] summaryWeights, float[] summaryScales) {
        static final ListResult EMPTY = new ListResult(new int[0], new int[0], new int[0], new int[0], new byte[0], new float[0]);
    }

    /** Per-thread scratch for pruning, clustering and summarising one list at a time. */
    private final class ListWorker {
        private final int[] topIds;
        private final float[] topWs;
        private final int width;
        private final int[] candDoc;
        private final float[] candW;
        private final int[] head;
        private final float[] maxW;
        private final int[] touched;
        private int[] entC = new int[1024];
        private float[] entW = new float[1024];
        private int[] entNext = new int[1024];
        private long[] packed = new long[1024];
        private long[] byId = new long[1024];
        private final double[] binMass = new double[BINS];
        private int[] perm = new int[1024];
        private int[] assign = new int[1024];
        private float[] cScore = new float[64];
        private float[] centW = new float[64];
        private int[] cSize = new int[64];
        private int[] cStart = new int[64];

        ListWorker(int[] topIds, float[] topWs, int width, int[] candDoc, float[] candW) {
            this.width = width;
            this.topIds = topIds;
            this.topWs = topWs;
            this.candDoc = candDoc;
            this.candW = candW;
            this.head = new int[dim];
            Arrays.fill(head, -1);
            this.maxW = new float[dim];
            this.touched = new int[dim];
        }

        ListResult build(int t, int c0, int c1, int keepCount) {
            if (keepCount == 0 || c1 == c0) {
                return ListResult.EMPTY;
            }
            int nc = c1 - c0;
            int m = Math.min(keepCount, nc);
            int[] docs = new int[m];
            float[] docW = new float[m];
            if (m == nc) {
                System.arraycopy(candDoc, c0, docs, 0, m);
                System.arraycopy(candW, c0, docW, 0, m);
            } else {
                packed = grow(packed, nc);
                for (int i = 0; i < nc; i++) {
                    packed[i] = ((long) Float.floatToRawIntBits(candW[c0 + i]) << 32) | (Integer.MAX_VALUE - i);
                }
                Arrays.sort(packed, 0, nc);
                for (int i = 0; i < m; i++) {
                    int at = c0 + (Integer.MAX_VALUE - (int) packed[nc - 1 - i]);
                    docs[i] = candDoc[at];
                    docW[i] = candW[at];
                }
            }
            int nCent = Math.clamp(Math.round(params.centroidFraction() * m), 1, m);
            int[] order;
            int[] blockSizes;
            if (nCent == 1) {
                order = docs.clone();
                Arrays.sort(order);
                blockSizes = new int[] {m};
            } else {
                int[] sizes = cluster(t, docs, docW, m, nCent);
                int nb = 0;
                for (int c = 0; c < nCent; c++) {
                    if (sizes[c] > 0) {
                        nb++;
                    }
                }
                blockSizes = new int[nb];
                cStart = grow(cStart, nCent + 1);
                int pos = 0;
                nb = 0;
                for (int c = 0; c < nCent; c++) {
                    cStart[c] = pos;
                    pos += sizes[c];
                    if (sizes[c] > 0) {
                        blockSizes[nb++] = sizes[c];
                    }
                }
                order = new int[m];
                for (int i = 0; i < m; i++) {
                    order[cStart[assign[i]]++] = docs[i];
                }
                pos = 0;
                for (int size : blockSizes) {
                    Arrays.sort(order, pos, pos + size);
                    pos += size;
                }
            }
            return summarise(blockSizes, order);
        }

        /** Random centroids, assignment by dot product on each document's top terms; returns sizes. */
        private int[] cluster(int t, int[] docs, float[] docW, int m, int nCent) {
            SplittableRandom rnd = new SplittableRandom(params.seed() * 0x9E3779B97F4A7C15L + t);
            perm = grow(perm, m);
            for (int i = 0; i < m; i++) {
                perm[i] = i;
            }
            for (int i = 0; i < nCent; i++) {
                int j = i + rnd.nextInt(m - i);
                int x = perm[i];
                perm[i] = perm[j];
                perm[j] = x;
            }
            // A small inverted index over the centroids' top terms (the list term excluded: every
            // centroid holds it, so it is scored densely below).
            int ne = 0;
            int nTouched = 0;
            int docCut = params.docCut();
            centW = grow(centW, nCent);
            for (int c = 0; c < nCent; c++) {
                int cd = docs[perm[c]];
                centW[c] = docW[perm[c]];
                int base = cd * width;
                for (int j = 0; j < docCut; j++) {
                    int u = topIds[base + j];
                    if (u < 0) {
                        break;
                    }
                    if (u == t) {
                        continue;
                    }
                    if (ne == entC.length) {
                        entC = Arrays.copyOf(entC, ne * 2);
                        entW = Arrays.copyOf(entW, ne * 2);
                        entNext = Arrays.copyOf(entNext, ne * 2);
                    }
                    if (head[u] == -1) {
                        touched[nTouched++] = u;
                    }
                    entC[ne] = c;
                    entW[ne] = topWs[base + j];
                    entNext[ne] = head[u];
                    head[u] = ne++;
                }
            }
            cScore = grow(cScore, nCent);
            cSize = grow(cSize, nCent);
            assign = grow(assign, m);
            Arrays.fill(cSize, 0, nCent, 0);
            for (int i = 0; i < m; i++) {
                assign[i] = nearest(t, docs[i], docW[i], null, nCent);
                cSize[assign[i]]++;
            }
            int minSize = params.minClusterSize();
            boolean[] dead = null;
            int alive = 0;
            int largest = 0;
            for (int c = 0; c < nCent; c++) {
                if (cSize[c] >= minSize) {
                    alive++;
                }
                if (cSize[c] > cSize[largest]) {
                    largest = c;
                }
            }
            if (alive < nCent) {
                dead = new boolean[nCent];
                for (int c = 0; c < nCent; c++) {
                    dead[c] = cSize[c] < minSize && !(alive == 0 && c == largest);
                }
                for (int i = 0; i < m; i++) {
                    if (dead[assign[i]]) {
                        cSize[assign[i]]--;
                        assign[i] = nearest(t, docs[i], docW[i], dead, nCent);
                        cSize[assign[i]]++;
                    }
                }
            }
            for (int i = 0; i < nTouched; i++) {
                head[touched[i]] = -1;
            }
            return Arrays.copyOf(cSize, nCent);
        }

        /**
         * The centroid with the largest dot product, both sides cut to their top terms, plus the
         * list term, which every centroid shares (ties: lower centroid).
         */
        private int nearest(int listTerm, int doc, float listWeight, boolean[] dead, int nCent) {
            for (int c = 0; c < nCent; c++) {
                cScore[c] = listWeight * centW[c];
            }
            int base = doc * width;
            for (int j = 0; j < params.docCut(); j++) {
                int u = topIds[base + j];
                if (u < 0) {
                    break;
                }
                if (u == listTerm) {
                    continue;
                }
                float w = topWs[base + j];
                for (int e = head[u]; e != -1; e = entNext[e]) {
                    cScore[entC[e]] += w * entW[e];
                }
            }
            int best = -1;
            float bestScore = -1f;
            for (int c = 0; c < nCent; c++) {
                if (cScore[c] > bestScore && (dead == null || !dead[c])) {
                    best = c;
                    bestScore = cScore[c];
                }
            }
            return best;
        }

        /** Per block: per-term max over its documents, keep the top entries holding alpha of the L1 mass. */
        private ListResult summarise(int[] blockSizes, int[] order) {
            int nb = blockSizes.length;
            int[] sumLens = new int[nb];
            float[] sumScales = new float[nb];
            IntList sIds = new IntList();
            ByteList sWs = new ByteList();
            int pos = 0;
            for (int b = 0; b < nb; b++) {
                int nt = 0;
                int sdt = params.summaryDocTerms();
                for (int i = pos; i < pos + blockSizes[b]; i++) {
                    int d = order[i];
                    if (sdt > 0) {
                        int base = d * width;
                        for (int j = 0; j < sdt; j++) {
                            int u = topIds[base + j];
                            if (u < 0) {
                                break;
                            }
                            float w = topWs[base + j];
                            if (maxW[u] == 0f) {
                                touched[nt++] = u;
                            }
                            if (w > maxW[u]) {
                                maxW[u] = w;
                            }
                        }
                        continue;
                    }
                    long e1 = start(d + 1);
                    for (long e = start(d); e < e1; e++) {
                        int u = term(e);
                        float w = weight(d, e);
                        if (maxW[u] == 0f) {
                            touched[nt++] = u;
                        }
                        if (w > maxW[u]) {
                            maxW[u] = w;
                        }
                    }
                }
                pos += blockSizes[b];
                // Alpha-mass cut without a full sort: bucket the mass by weight bin, find the bin
                // where the running mass from the top reaches alpha, keep everything above it.
                double l1 = 0;
                float max = 0f;
                Arrays.fill(binMass, 0.0);
                for (int i = 0; i < nt; i++) {
                    float w = maxW[touched[i]];
                    l1 += w;
                    max = Math.max(max, w);
                    binMass[bin(w)] += w;
                }
                double target = params.summaryAlpha() * l1;
                double mass = 0;
                int cut = BINS - 1;
                while (cut > 0 && (mass += binMass[cut]) < target) {
                    cut--;
                }
                int kept = 0;
                byId = grow(byId, nt);
                for (int i = 0; i < nt; i++) {
                    int u = touched[i];
                    float w = maxW[u];
                    maxW[u] = 0f;
                    if (bin(w) >= cut) {
                        byId[kept++] = ((long) u << 32) | Float.floatToRawIntBits(w);
                    }
                }
                if (nt == 0) {
                    max = 1f;
                }
                float scale = max / 255f;
                // Kept entries sorted by term id; quantised upwards so summaries do not shrink.
                Arrays.sort(byId, 0, kept);
                for (int i = 0; i < kept; i++) {
                    float w = Float.intBitsToFloat((int) byId[i]);
                    sIds.add((int) (byId[i] >>> 32));
                    sWs.add((byte) Math.clamp((int) Math.ceil(w / scale - 1e-4), 1, 255));
                }
                sumLens[b] = kept;
                sumScales[b] = scale;
            }
            return new ListResult(blockSizes, order, sumLens, sIds.toArray(), sWs.toArray(), sumScales);
        }
    }

    private SeismicIndex assemble(ListResult[] results, int kappa, MemorySegment knn) {
        long blocks = 0;
        long postings = 0;
        long entries = 0;
        for (ListResult r : results) {
            blocks += r.blockSizes().length;
            postings += r.docs().length;
            entries += r.summaryIds().length;
        }
        if (blocks > Integer.MAX_VALUE - 1 || postings > 0xFFFF_FFFFL || entries > 0xFFFF_FFFFL) {
            throw new IllegalStateException("index too large for one Seismic structure (blocks " + blocks
                    + ", postings " + postings + ", summary entries " + entries + "); split the collection");
        }
        Arena arena = Arena.ofAuto();
        MemorySegment listBlocks = arena.allocate((dim + 1L) * 4, 8);
        MemorySegment blockPostings = arena.allocate((blocks + 1) * 4, 8);
        MemorySegment post = arena.allocate(postings * 4, 8);
        MemorySegment sumStarts = arena.allocate((blocks + 1) * 4, 8);
        MemorySegment sumIds = arena.allocate(entries * ForwardIndex.idBytes(dim), 8);
        MemorySegment sumWs = arena.allocate(entries, 8);
        MemorySegment sumScales = arena.allocate(blocks * 4, 8);
        int b = 0;
        long p = 0;
        long s = 0;
        for (int t = 0; t < dim; t++) {
            listBlocks.set(Layouts.I32, t * 4L, b);
            ListResult r = results[t];
            MemorySegment.copy(r.docs(), 0, post, Layouts.I32, p * 4, r.docs().length);
            if (wide) {
                MemorySegment.copy(r.summaryIds(), 0, sumIds, Layouts.I32, s * 4, r.summaryIds().length);
            } else {
                int[] si = r.summaryIds();
                for (int i = 0; i < si.length; i++) {
                    sumIds.set(Layouts.I16, (s + i) * 2, (short) si[i]);
                }
            }
            MemorySegment.copy(r.summaryWeights(), 0, sumWs, Layouts.U8, s, r.summaryWeights().length);
            for (int i = 0; i < r.blockSizes().length; i++) {
                blockPostings.set(Layouts.I32, (long) b * 4, (int) p);
                sumStarts.set(Layouts.I32, (long) b * 4, (int) s);
                sumScales.set(Layouts.F32, (long) b * 4, r.summaryScales()[i]);
                p += r.blockSizes()[i];
                s += r.summaryLens()[i];
                b++;
            }
        }
        listBlocks.set(Layouts.I32, dim * 4L, b);
        blockPostings.set(Layouts.I32, (long) b * 4, (int) p);
        sumStarts.set(Layouts.I32, (long) b * 4, (int) s);
        return new SeismicIndex(fwd, listBlocks, blockPostings, post, sumStarts, sumIds, sumWs, sumScales, kappa, knn);
    }

    /** Each document's kappa nearest neighbours, found by searching the index with the document. */
    private MemorySegment knnGraph(SeismicIndex index, int threads) {
        int kappa = params.kappa();
        MemorySegment graph = Arena.ofAuto().allocate((long) n * kappa * 4, 8);
        SearchParams sp = SearchParams.defaults().withK(kappa + 1).withKnn(false);
        AtomicLong done = new AtomicLong();
        parallel(threads, n, 1024, (from, to) -> {
            SeismicSearcher searcher = index.newSearcher();
            int[] outOrds = new int[kappa + 1];
            float[] outScores = new float[kappa + 1];
            for (int d = from; d < to; d++) {
                SparseVector v = fwd.vector(d);
                int self = d;
                int hits = searcher.search(v, sp, o -> o != self, outOrds, outScores);
                for (int j = 0; j < kappa; j++) {
                    graph.set(Layouts.I32, ((long) d * kappa + j) * 4, j < hits ? outOrds[j] : -1);
                }
            }
            progress.update("knn", done.addAndGet(to - from), n);
        }, "knn");
        return graph;
    }

    @FunctionalInterface
    private interface RangeTask {
        void run(int from, int to);
    }

    private static void parallel(int threads, int n, int chunk, RangeTask task, String what) {
        AtomicInteger next = new AtomicInteger();
        runWorkers(threads, () -> {
            int from;
            while ((from = next.getAndAdd(chunk)) < n) {
                task.run(from, Math.min(n, from + chunk));
            }
        });
    }

    private static void runWorkers(int threads, Runnable worker) {
        if (threads <= 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "seismic-build");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(pool.submit(worker));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("build interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[] grow(long[] a, int need) {
        return a.length >= need ? a : new long[Math.max(need, a.length * 2)];
    }

    private static int[] grow(int[] a, int need) {
        return a.length >= need ? a : new int[Math.max(need, a.length * 2)];
    }

    private static float[] grow(float[] a, int need) {
        return a.length >= need ? a : new float[Math.max(need, a.length * 2)];
    }

    private static final class IntList {
        private int[] a = new int[256];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class ByteList {
        private byte[] a = new byte[256];
        private int n;

        void add(byte v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        byte[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
