package dev.lsr.index;

import dev.lsr.index.codec.SparseBuildConfig;
import java.util.List;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;

/**
 * The singleton merge that gives one pending segment its Seismic structure ({@link StructureBuilds}).
 * It hands the collection size recorded at the segment's flush
 * ({@link SparseBuildConfig#FLUSH_COLLECTION_DOCS_ATTRIBUTE}) to the segment the merge writes, whose
 * codec reads it from its own segment info: Lucene creates that info when the merge starts and
 * passes it here, before any file is written.
 */
final class StructureBuild extends MergePolicy.OneMerge {

    private final String collectionDocsAtFlush;

    StructureBuild(SegmentCommitInfo pending) {
        super(List.of(pending));
        this.collectionDocsAtFlush = pending.info.getAttribute(SparseBuildConfig.FLUSH_COLLECTION_DOCS_ATTRIBUTE);
    }

    @Override
    public void setMergeInfo(SegmentCommitInfo info) {
        if (collectionDocsAtFlush != null) {
            info.info.putAttribute(SparseBuildConfig.FLUSH_COLLECTION_DOCS_ATTRIBUTE, collectionDocsAtFlush);
        }
        super.setMergeInfo(info);
    }
}
