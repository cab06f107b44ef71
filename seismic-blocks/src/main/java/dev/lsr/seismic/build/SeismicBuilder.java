package dev.lsr.seismic.build;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.forward.DocSketches;
import dev.lsr.seismic.forward.ForwardIndex;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a {@link SeismicIndex} from a {@link ForwardIndex} (Seismic, Bruch et al., SIGIR 2024) in
 * stages, each in its own class: {@link StaticPruning} of every posting list to its largest
 * postings, {@link BlockClustering} of each list into blocks around sampled centroids,
 * {@link BlockSummaries} (a u8 alpha-mass summary per block), {@link IndexAssembly} into native
 * sections, and optionally a {@link KnnGraph} for refinement (CIKM 2024). Lists are processed in
 * parallel ({@link Workers}); the result is deterministic for given parameters.
 */
public final class SeismicBuilder {

    private SeismicBuilder() {}

    public static SeismicIndex build(ForwardIndex forward, BuildParams params) {
        return build(forward, params, BuildProgress.NONE);
    }

    public static SeismicIndex build(ForwardIndex forward, BuildParams params, BuildProgress progress) {
        int threads = params.effectiveThreads();
        Entries f = new Entries(forward);
        int dim = f.dim;
        StaticPruning.PrunedLists pruned = StaticPruning.run(f, params, threads);
        progress.update("prune", 1, 1);

        DocTopTerms top = DocTopTerms.compute(f, Math.max(params.docCut(), params.summaryDocTerms()), threads);

        // Lists, largest first so that the last straggler is small.
        int[] keep = pruned.keep();
        Integer[] order = new Integer[dim];
        for (int t = 0; t < dim; t++) {
            order[t] = t;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(keep[b], keep[a]));
        ListResult[] results = new ListResult[dim];
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        Workers.run(threads, () -> {
            ListBuilder lists = new ListBuilder(pruned, new BlockClustering(params, top, dim), new BlockSummaries(params, f, top));
            int i;
            while ((i = next.getAndIncrement()) < dim) {
                int t = order[i];
                results[t] = lists.build(t);
                long dn = done.incrementAndGet();
                if ((dn & 255) == 0 || dn == dim) {
                    progress.update("blocks", dn, dim);
                }
            }
        });
        DocSketches sketches = DocSketches.allocate(forward, params.sketchTerms());
        if (sketches.present()) {
            Workers.parallel(threads, forward.size(), 8192, (from, to) -> sketches.fill(forward, from, to));
        }
        SeismicIndex index = IndexAssembly.assemble(forward, results, 0, Arena.ofAuto().allocate(0, 8), sketches);
        if (params.kappa() > 0) {
            index = IndexAssembly.assemble(forward, results, params.kappa(),
                    KnnGraph.build(index, params.kappa(), threads, progress), sketches);
        }
        return index;
    }
}
