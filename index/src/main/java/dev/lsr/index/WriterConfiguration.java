package dev.lsr.index;

import dev.lsr.index.codec.CollectionSize;
import dev.lsr.index.codec.LsrCodec;
import dev.lsr.index.codec.SparseBuildConfig;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.write.Fields;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.similarities.BM25Similarity;

/** How a collection's settings configure Lucene's writer: codec, similarity, buffering and merges. */
final class WriterConfiguration {

    /** Pending merges before the writer stalls when merges are off: never, in practice. */
    static final int UNSTALLED_MERGES = 10_000;

    private WriterConfiguration() {}

    static IndexWriterConfig of(CollectionSettings s, boolean create) {
        return of(s, create, null);
    }

    /**
     * As above, the codec reading the collection's document count from {@code size} (bound to the
     * writer once it exists; see {@link CollectionSize}).
     */
    static IndexWriterConfig of(CollectionSettings s, boolean create, CollectionSize size) {
        IndexWriterConfig c = new IndexWriterConfig(new EnglishAnalyzer());
        c.setOpenMode(create ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.APPEND);
        c.setCodec(new LsrCodec(Fields.VECTOR, new SparseBuildConfig(s.dim(), s.exactSegmentMaxDocs(),
                s.seismic().buildParams(), s.seismic().encoding(), s.seismic().nPostingsDocs())
                .withRecallTarget(s.seismic().recallTarget())
                .withBuildAtFlush(s.writer().buildAtFlush())
                .withCollectionSize(size)));
        c.setSimilarity(similarity(s));
        c.setRAMBufferSizeMB(s.writer().ramBufferMb());
        if (s.writer().maxBufferedDocs() > 0) {
            c.setMaxBufferedDocs(s.writer().maxBufferedDocs());
        }
        TieredMergePolicy tiered = new TieredMergePolicy()
                .setSegmentsPerTier(s.writer().segmentsPerTier())
                .setFloorSegmentMB(s.writer().floorSegmentMb());
        MergePolicy merges = s.writer().merges() ? tiered : new ForcedMergesOnly(tiered);
        // Flushed segments left without their structure (buildAtFlush false) get it from a
        // singleton merge on the merge scheduler's thread; harmless when nothing is pending.
        c.setMergePolicy(new StructureBuilds(merges, s.exactSegmentMaxDocs()));
        if (!s.writer().merges()) {
            // Without merges of its own the writer's only background merges are singleton builds,
            // which never add a segment: Lucene's stall (the flushing thread waits once
            // maxMergeCount merges are pending, threads + 5) would only hold documents back
            // behind builds. Merge threads as Lucene picks them for an SSD (half the cores, 1 to 4).
            int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
            ConcurrentMergeScheduler cms = new ConcurrentMergeScheduler();
            cms.setMaxMergesAndThreads(UNSTALLED_MERGES, threads);
            c.setMergeScheduler(cms);
        }
        c.setCommitOnClose(true);
        // Keeps a commit's files while a snapshot copies them (Lucene's default policy otherwise).
        c.setIndexDeletionPolicy(new org.apache.lucene.index.SnapshotDeletionPolicy(new org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy()));
        return c;
    }

    static BM25Similarity similarity(CollectionSettings s) {
        return new BM25Similarity(s.bm25().k1().floatValue(), s.bm25().b().floatValue());
    }

    /** No merges of its own accord (keeps every flushed segment), but forced merges still work. */
    private static final class ForcedMergesOnly extends FilterMergePolicy {
        ForcedMergesOnly(MergePolicy in) {
            super(in);
        }

        @Override
        public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context) {
            return null;
        }

        @Override
        public MergeSpecification findFullFlushMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context) {
            return null;
        }
    }
}
