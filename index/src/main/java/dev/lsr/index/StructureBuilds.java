package dev.lsr.index;

import dev.lsr.index.codec.SparseBuildConfig;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;

/**
 * The collection's merge policy around Lucene's: whatever the wrapped policy merges, plus a
 * <em>singleton build merge</em> for every segment flushed without its Seismic structure
 * ({@link SparseBuildConfig#PENDING_ATTRIBUTE}) that still holds at least
 * {@code exactSegmentMaxDocs} live documents and is neither merging nor part of a merge the
 * wrapped policy chose (that merge builds its structure anyway). A singleton merge rewrites the
 * segment's own documents (deletions dropped) through the codec, which always builds at merge, so
 * the structure is built on a merge thread (Lucene's {@code ConcurrentMergeScheduler}), off the
 * indexing and refreshing threads, as Lucene's {@code UpgradeIndexMergePolicy} rewrites old
 * segments one by one.
 *
 * <p>Builds are scheduled with {@code merges: false} too: they change no segment boundaries, only
 * give a segment the structure a flush would have built. Until its build commits, the pending
 * segment stays what the flush wrote, a valid exact segment searched over its unpruned lists
 * (searches stay exact there); if the process stops mid-build, the last commit still holds it and
 * the next open schedules the build again ({@link LuceneIndex#open}). Never from
 * {@link #findFullFlushMerges}: a refresh or commit would wait for the build.
 */
final class StructureBuilds extends FilterMergePolicy {

    private final int exactSegmentMaxDocs;

    StructureBuilds(MergePolicy in, int exactSegmentMaxDocs) {
        super(in);
        this.exactSegmentMaxDocs = exactSegmentMaxDocs;
    }

    /** Whether this segment was flushed without the structure its size calls for. */
    static boolean pending(SegmentCommitInfo info) {
        return "true".equals(info.info.getAttribute(SparseBuildConfig.PENDING_ATTRIBUTE));
    }

    /**
     * Names of the segments of {@code reader} still waiting for their build (pending, with at
     * least {@code exactSegmentMaxDocs} live documents).
     */
    static Set<String> pendingSegments(IndexReader reader, int exactSegmentMaxDocs) {
        Set<String> names = new TreeSet<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            if (FilterLeafReader.unwrap(leaf.reader()) instanceof SegmentReader s
                    && pending(s.getSegmentInfo()) && s.numDocs() >= exactSegmentMaxDocs) {
                names.add(s.getSegmentName());
            }
        }
        return names;
    }

    @Override
    public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
            throws IOException {
        return withBuilds(in.findMerges(trigger, infos, context), infos, context);
    }

    @Override
    public MergeSpecification findForcedMerges(SegmentInfos infos, int maxSegmentCount,
            Map<SegmentCommitInfo, Boolean> segmentsToMerge, MergeContext context) throws IOException {
        // forceMerge(n) on segments already at most n would leave a pending one without its structure.
        return withBuilds(in.findForcedMerges(infos, maxSegmentCount, segmentsToMerge, context), infos, context);
    }

    private MergeSpecification withBuilds(MergeSpecification spec, SegmentInfos infos, MergeContext context)
            throws IOException {
        Set<SegmentCommitInfo> taken = new HashSet<>(context.getMergingSegments());
        if (spec != null) {
            for (OneMerge m : spec.merges) {
                taken.addAll(m.segments);
            }
        }
        for (SegmentCommitInfo info : infos) {
            if (pending(info) && !taken.contains(info)
                    && info.info.maxDoc() - context.numDeletesToMerge(info) >= exactSegmentMaxDocs) {
                if (spec == null) {
                    spec = new MergeSpecification();
                }
                spec.add(new StructureBuild(info));
            }
        }
        return spec;
    }
}
