package dev.lsr.index.codec;

import dev.lsr.seismic.SparseVector;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/** Bridge to seismic-blocks: builds and writes a segment's blob, and opens it in place. */
public final class SeismicBlobs {

    /** Until seismic-blocks publishes its builder every segment is searched exactly. */
    static final boolean AVAILABLE = false;

    private SeismicBlobs() {}

    static void write(List<SparseVector> vectors, SparseBuildConfig config, IndexOutput out) throws IOException {
        throw new IllegalStateException("Seismic structures are not available in this build");
    }

    static Opened open(IndexInput in, long start, long length, String fileName) throws IOException {
        throw new IllegalStateException("Seismic structures are not available in this build: " + fileName);
    }

    /** An opened per-segment Seismic index. */
    public static final class Opened implements Closeable {
        /** Approximate top-k of the segment; returns the number of hits written. */
        public int search(SparseVector query, int k, int queryCut, double heapFactor, boolean knn,
                java.util.function.IntPredicate acceptOrNull, int[] outDocs, float[] outScores) {
            throw new IllegalStateException("Seismic structures are not available in this build");
        }

        @Override
        public void close() {}
    }
}
