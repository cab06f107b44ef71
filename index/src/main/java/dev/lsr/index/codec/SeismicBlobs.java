package dev.lsr.index.codec;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.search.SearchParams;
import dev.lsr.seismic.search.SeismicSearcher;
import dev.lsr.seismic.store.SeismicFormat;
import dev.lsr.seismic.tune.TunedIndex;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntPredicate;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.MemorySegmentAccessInput;

/** Bridge to seismic-blocks: builds and writes a segment's blob, and opens it in place. */
public final class SeismicBlobs {

    private SeismicBlobs() {}

    /** Builds the segment's structure with the config's parameters and writes it. */
    static void write(ForwardIndex forward, SparseBuildConfig config, IndexOutput out) throws IOException {
        write(SeismicBuilder.build(forward, config.buildFor(forward.size(), forward.nnz())), out);
    }

    /**
     * Builds the segment's structure for the config's recall target ({@link SegmentSelfCheck}) and
     * writes it; returns the search setting chosen for it.
     */
    static SearchParams writeTuned(ForwardIndex forward, SparseBuildConfig config, int depth, IndexOutput out)
            throws IOException {
        TunedIndex tuned = SegmentSelfCheck.build(forward, config, depth);
        write(tuned.index(), out);
        return tuned.search();
    }

    private static void write(SeismicIndex index, IndexOutput out) throws IOException {
        OutputStream os = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.writeByte((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.writeBytes(b, off, len);
            }
        };
        SeismicFormat.write(index, os);
        os.flush();
    }

    static Opened open(IndexInput in, long start, long length, String fileName) throws IOException {
        MemorySegment blob = null;
        Arena arena = null;
        if (in instanceof MemorySegmentAccessInput mapped) {
            blob = mapped.segmentSliceOrNull(start, length);
        }
        if (blob == null) {
            // Not memory-mapped: the one case where the blob is copied (off-heap, not into the heap).
            arena = Arena.ofShared();
            blob = arena.allocate(length, 64);
            byte[] chunk = new byte[1 << 16];
            IndexInput copy = in.clone();
            copy.seek(start);
            for (long done = 0; done < length; ) {
                int n = (int) Math.min(chunk.length, length - done);
                copy.readBytes(chunk, 0, n);
                MemorySegment.copy(chunk, 0, blob, ValueLayout.JAVA_BYTE, done, n);
                done += n;
            }
        }
        try {
            // Lucene's footer checksum covers the whole file (CheckIndex, merges, checkIntegrity),
            // so opening only validates the blob's structure instead of reading every byte.
            SeismicIndex index = SeismicFormat.open(blob, fileName, false);
            if (index.sketches().present() && arena == null) {
                // Sketches are read at random for every candidate; read from the mapped file they
                // made a query 1.5x slower than the same records in anonymous memory
                // (realistic:1000000, 8 / 0.7: 631 vs 415 us, seismic-blocks/README.md), so the
                // segment keeps a copy: sketch terms x 3 bytes per document, off-heap.
                arena = Arena.ofShared();
                index = index.withSketches(index.sketches().copyInto(arena));
            }
            return new Opened(index, arena);
        } catch (IOException | RuntimeException e) {
            if (arena != null) {
                arena.close();
            }
            throw new org.apache.lucene.index.CorruptIndexException(e.getMessage(), fileName, e);
        }
    }

    /** An opened per-segment Seismic index with a pool of searchers (each single-threaded). */
    public static final class Opened implements Closeable {
        private final SeismicIndex index;
        private final Arena arena;
        private final ConcurrentLinkedQueue<SeismicSearcher> searchers = new ConcurrentLinkedQueue<>();

        Opened(SeismicIndex index, Arena arena) {
            this.index = index;
            this.arena = arena;
        }

        /** Approximate top-k of the segment; returns the number of hits written. */
        public int search(SparseVector query, int k, int queryCut, double heapFactor, boolean knn, IntPredicate acceptOrNull,
                int[] outDocs, float[] outScores) {
            return search(query, k, queryCut, heapFactor, knn, 0f, acceptOrNull, outDocs, outScores);
        }

        /**
         * As above, for a caller already holding k hits scoring at least {@code scoreFloor} (from
         * other segments): blocks those hits beat are skipped from the start.
         */
        public int search(SparseVector query, int k, int queryCut, double heapFactor, boolean knn, float scoreFloor,
                IntPredicate acceptOrNull, int[] outDocs, float[] outScores) {
            SeismicSearcher s = searchers.poll();
            if (s == null) {
                s = index.newSearcher();
            }
            try {
                return s.search(query, new SearchParams(k, queryCut, (float) heapFactor, knn), scoreFloor, acceptOrNull,
                        outDocs, outScores);
            } finally {
                searchers.offer(s);
            }
        }

        /**
         * As the floor-taking search, but on a segment with document sketches (and a setting that
         * scores on them) returns the best {@link SearchParams#rerankDepth()} candidates by their
         * sketch scores, not rescored (when {@link #unrescored} holds), so that a collection
         * rescores only its best candidates over all segments; otherwise the rescored hits.
         */
        public int searchUnrescored(SparseVector query, SearchParams params, float scoreFloor, IntPredicate acceptOrNull,
                int[] outDocs, float[] outScores) {
            SeismicSearcher s = searchers.poll();
            if (s == null) {
                s = index.newSearcher();
            }
            try {
                return s.searchUnrescored(query, params, scoreFloor, acceptOrNull, outDocs, outScores);
            } finally {
                searchers.offer(s);
            }
        }

        /** Whether {@link #searchUnrescored} returns sketch scores for {@code params} on this segment. */
        public boolean unrescored(SearchParams params) {
            return SeismicSearcher.unrescored(index, params);
        }

        /**
         * Postings in the (pruned) lists of the query's terms: what a search visiting every list
         * and every block would read, the cost side of choosing it over an exact scan.
         */
        public long postingsOf(SparseVector query) {
            MemorySegment lb = index.listBlocks();
            MemorySegment bp = index.blockPostings();
            int dim = index.dim();
            long sum = 0;
            for (int i = 0; i < query.size(); i++) {
                int t = query.index(i);
                if (t < dim) {
                    int b0 = lb.get(Layouts.I32, t * 4L);
                    int b1 = lb.get(Layouts.I32, (t + 1L) * 4);
                    sum += Integer.toUnsignedLong(bp.get(Layouts.I32, b1 * 4L)) - Integer.toUnsignedLong(bp.get(Layouts.I32, b0 * 4L));
                }
            }
            return sum;
        }

        /**
         * Scores of {@code ords[0, count)} from the segment's forward index (its half-float or
         * quantised weights, not the stored floats) against a query scattered into {@code dense};
         * see {@link ForwardIndex#dotBatch}. The cheap exact scan of the segment's documents.
         */
        public long dotBatch(int[] ords, int count, float[] dense, float[] outScores, long[] starts) {
            return index.forward().dotBatch(ords, count, dense, outScores, starts);
        }

        /**
         * Work done by this segment's searches so far, summed over its pooled searchers: candidate
         * documents scored (on sketches where the segment has them), block summaries scored and
         * candidates rescored from the forward index. For diagnostics and benchmarks; a search in
         * flight on another thread may or may not be counted yet.
         */
        public SearchWork work() {
            long docs = 0;
            long blocks = 0;
            long rescored = 0;
            for (SeismicSearcher s : searchers) {
                docs += s.docsScored();
                blocks += s.blocksScored();
                rescored += s.docsRescored();
            }
            return new SearchWork(docs, blocks, rescored);
        }

        /** The structure's shape: documents, blocks, postings, summary entries, bytes. */
        public String describe() {
            return index.toString();
        }

        /** Postings kept after static pruning (what a search can reach through the lists). */
        public long postingCount() {
            return index.postingCount();
        }

        /** Documents of the segment (its maxDoc). */
        public int size() {
            return index.size();
        }

        @Override
        public void close() {
            searchers.clear();
            if (arena != null) {
                arena.close();
            }
        }
    }

    /** See {@link Opened#work()}. */
    public record SearchWork(long docsScored, long blocksScored, long docsRescored) {}
}
