package dev.lsr.seismic;

import dev.lsr.seismic.forward.DocSketches;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.search.ExactSearcher;
import dev.lsr.seismic.search.SeismicSearcher;
import java.lang.foreign.MemorySegment;

/**
 * A built Seismic index: the forward index plus, per term, a statically pruned posting list cut
 * into blocks, each block with a u8-quantised summary vector; optionally a kNN graph.
 *
 * <p>Every section is a {@link MemorySegment} (native memory after a build, the mapped file after
 * {@code SeismicFormat.open}); the object itself is small. Immutable and thread-safe; searchers
 * are not (one per thread).
 *
 * @param forward         the documents
 * @param listBlocks      i32 x (dim + 1): blocks of term t are {@code [listBlocks[t], listBlocks[t+1])}
 * @param blockPostings   i32 x (blocks + 1): postings of block b are {@code [bp[b], bp[b+1])}
 * @param postings        i32 per posting: document ordinals, ascending inside a block
 * @param summaryStarts   i32 x (blocks + 1): summary entries of block b
 * @param summaryIds      u16 (dim <= 65536) or u32 per summary entry, ascending inside a block
 * @param summaryWeights  u8 per summary entry, multiplied by the block's scale
 * @param summaryScales   f32 per block
 * @param kappa           neighbours per document in {@code knn} (0 = no graph)
 * @param knn             i32 x (size * kappa): neighbour ordinals, -1 pads
 * @param sketches        each document's largest weights, scored before the forward index
 *                        ({@link DocSketches#NONE} in indexes built without them)
 */
public record SeismicIndex(
        ForwardIndex forward,
        MemorySegment listBlocks,
        MemorySegment blockPostings,
        MemorySegment postings,
        MemorySegment summaryStarts,
        MemorySegment summaryIds,
        MemorySegment summaryWeights,
        MemorySegment summaryScales,
        int kappa,
        MemorySegment knn,
        DocSketches sketches) {

    public SeismicIndex {
        int dim = forward.dim();
        long blocks = listBlocks.byteSize() == (dim + 1L) * 4 ? listBlocks.get(Layouts.I32, dim * 4L) : -1;
        if (blocks < 0
                || blockPostings.byteSize() != (blocks + 1) * 4
                || summaryStarts.byteSize() != (blocks + 1) * 4
                || summaryScales.byteSize() != blocks * 4
                || postings.byteSize() != Integer.toUnsignedLong(blockPostings.get(Layouts.I32, blocks * 4)) * 4
                || summaryWeights.byteSize() != Integer.toUnsignedLong(summaryStarts.get(Layouts.I32, blocks * 4))
                || summaryIds.byteSize() != summaryWeights.byteSize() * ForwardIndex.idBytes(dim)
                || knn.byteSize() != (long) forward.size() * kappa * 4
                || sketches.present() && (sketches.size() != forward.size() || !DocSketches.supports(dim))) {
            throw new IllegalArgumentException("Seismic index sections have inconsistent sizes");
        }
    }

    public int size() {
        return forward.size();
    }

    public int dim() {
        return forward.dim();
    }

    public int blockCount() {
        return listBlocks.get(Layouts.I32, dim() * 4L);
    }

    public long postingCount() {
        return postings.byteSize() / 4;
    }

    public long summaryEntryCount() {
        return summaryWeights.byteSize();
    }

    /** Bytes of everything (forward index + lists + summaries + kNN graph + sketches). */
    public long bytes() {
        return forward.bytes() + listBlocks.byteSize() + blockPostings.byteSize() + postings.byteSize()
                + summaryStarts.byteSize() + summaryIds.byteSize() + summaryWeights.byteSize()
                + summaryScales.byteSize() + knn.byteSize() + sketches.bytes();
    }

    /** The same index with other document sketches (e.g. a copy of the mapped ones in anonymous memory). */
    public SeismicIndex withSketches(DocSketches s) {
        return new SeismicIndex(forward, listBlocks, blockPostings, postings, summaryStarts, summaryIds, summaryWeights,
                summaryScales, kappa, knn, s);
    }

    /** A new approximate searcher; not thread-safe, reuse one per thread. */
    public SeismicSearcher newSearcher() {
        return new SeismicSearcher(this);
    }

    /** A new exact (brute-force over the forward index) searcher; one per thread. */
    public ExactSearcher newExactSearcher() {
        return new ExactSearcher(forward);
    }

    @Override
    public String toString() {
        return "SeismicIndex{docs=" + size() + ", dim=" + dim() + ", blocks=" + blockCount()
                + ", postings=" + postingCount() + ", summaryEntries=" + summaryEntryCount()
                + ", kappa=" + kappa + ", sketchTerms=" + sketches.terms() + ", bytes=" + bytes() + "}";
    }
}
