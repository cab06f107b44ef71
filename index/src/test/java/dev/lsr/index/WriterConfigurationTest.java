package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.WriterSettings;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriterConfig;
import org.junit.jupiter.api.Test;

/** The writer's merge scheduler: Lucene's own with merges on, no stall behind singleton builds with merges off. */
class WriterConfigurationTest {

    @Test
    void mergesOffNeverStallTheWriterBehindBuildsMergesOnKeepLucenesLimit() {
        IndexWriterConfig on = WriterConfiguration.of(CollectionSettings.defaults(), true);
        ConcurrentMergeScheduler lucene = (ConcurrentMergeScheduler) on.getMergeScheduler();
        assertThat(lucene.getMaxMergeCount()).isEqualTo(ConcurrentMergeScheduler.AUTO_DETECT_MERGES_AND_THREADS);

        IndexWriterConfig off = WriterConfiguration.of(
                CollectionSettings.defaults().withWriter(new WriterSettings(null, null, false)), true);
        ConcurrentMergeScheduler builds = (ConcurrentMergeScheduler) off.getMergeScheduler();
        assertThat(builds.getMaxMergeCount()).isEqualTo(WriterConfiguration.UNSTALLED_MERGES);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(builds.getMaxThreadCount()).isEqualTo(threads);
    }
}
