package dev.lsr.index.settings;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Lucene writer tuning. {@code maxBufferedDocs} 0 means "flush by RAM only"; {@code merges} false
 * keeps every flushed segment (benchmarks and tests of many-segment behaviour);
 * forced merges still run.
 *
 * <p>Merges follow Lucene's tiered policy. Every segment costs a Seismic search per query (the
 * floor from the largest helps, but each still scores its own blocks), so a collection that is
 * searched more than written does better with fewer segments: {@code segmentsPerTier} 4 and
 * {@code floorSegmentMb} 64 (small fresh segments, searched exactly below
 * {@code exactSegmentMaxDocs}, merged together early). Each such merge rebuilds a Seismic
 * structure while indexing goes on, which cost about a fifth of the bulk-indexing rate when
 * measured (index README), so the defaults stay Lucene's (10 and 16).
 *
 * <p>{@code buildAtFlush} (default false): a flushed segment at or above
 * {@code exactSegmentMaxDocs} is written without its Seismic structure, searchable at once
 * (exactly, over its unpruned lists), and the structure is built by a singleton merge on a
 * background merge thread (also with {@code merges} false: a build changes no segment
 * boundaries); true builds it at flush, so the refresh that flushes it waits for the build (the
 * behaviour before, and the index README measures both).
 */
public record WriterSettings(
        @JsonProperty("ram_buffer_mb") @JsonAlias("ramBufferMb") Double ramBufferMb,
        @JsonProperty("max_buffered_docs") @JsonAlias("maxBufferedDocs") Integer maxBufferedDocs,
        Boolean merges,
        @JsonProperty("segments_per_tier") @JsonAlias("segmentsPerTier") Double segmentsPerTier,
        @JsonProperty("floor_segment_mb") @JsonAlias("floorSegmentMb") Double floorSegmentMb,
        @JsonProperty("build_at_flush") @JsonAlias("buildAtFlush") Boolean buildAtFlush) {

    public static final double DEFAULT_SEGMENTS_PER_TIER = 10;
    public static final double DEFAULT_FLOOR_SEGMENT_MB = 16;

    /** With the default merge policy shape. */
    public WriterSettings(Double ramBufferMb, Integer maxBufferedDocs, Boolean merges) {
        this(ramBufferMb, maxBufferedDocs, merges, null, null);
    }

    /** With structures built in the background (the default). */
    public WriterSettings(Double ramBufferMb, Integer maxBufferedDocs, Boolean merges, Double segmentsPerTier,
            Double floorSegmentMb) {
        this(ramBufferMb, maxBufferedDocs, merges, segmentsPerTier, floorSegmentMb, null);
    }

    /** The same settings, structures built at flush ({@code true}) or in the background. */
    public WriterSettings withBuildAtFlush(boolean atFlush) {
        return new WriterSettings(ramBufferMb, maxBufferedDocs, merges, segmentsPerTier, floorSegmentMb, atFlush);
    }

    public WriterSettings {
        ramBufferMb = SettingsCheck.between("writer.ram_buffer_mb", ramBufferMb, 256.0, 1.0, 2048.0);
        maxBufferedDocs = SettingsCheck.atLeast("writer.max_buffered_docs", maxBufferedDocs, 0, 0);
        if (maxBufferedDocs == 1) {
            throw new dev.lsr.index.InvalidSettingsException("setting 'writer.maxBufferedDocs' must be 0 or >= 2, was 1");
        }
        merges = merges == null || merges;
        segmentsPerTier = SettingsCheck.between("writer.segments_per_tier", segmentsPerTier, DEFAULT_SEGMENTS_PER_TIER, 2.0, 100.0);
        floorSegmentMb = SettingsCheck.between("writer.floor_segment_mb", floorSegmentMb, DEFAULT_FLOOR_SEGMENT_MB, 0.001, 1e6);
        buildAtFlush = buildAtFlush != null && buildAtFlush;
    }

    public static WriterSettings defaults() {
        return new WriterSettings(null, null, null);
    }
}
