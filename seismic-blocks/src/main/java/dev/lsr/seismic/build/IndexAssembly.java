package dev.lsr.seismic.build;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.forward.DocSketches;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Stage 4 of the build: lays the per-list results out in the index's native sections. */
final class IndexAssembly {
    private IndexAssembly() {}

    static SeismicIndex assemble(ForwardIndex fwd, ListResult[] results, int kappa, MemorySegment knn, DocSketches sketches) {
        int dim = fwd.dim();
        boolean wide = ForwardIndex.wideIds(dim);
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
        return new SeismicIndex(fwd, listBlocks, blockPostings, post, sumStarts, sumIds, sumWs, sumScales, kappa, knn, sketches);
    }
}
