package dev.lsr.index.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Background builds leave a core to the indexing threads unless the thread count is set. */
class BackgroundThreadsTest {

    @Test
    void automaticThreadsDropOneCoreExplicitOnesStay() {
        SparseBuildConfig auto = SparseBuildConfig.defaults();
        assertThat(auto.build().threads()).isZero();
        int cores = Runtime.getRuntime().availableProcessors();
        SparseBuildConfig background = auto.inBackground();
        assertThat(background.build().threads()).isEqualTo(Math.max(1, cores - 1));
        assertThat(background.build().withThreads(0)).isEqualTo(auto.build());
        assertThat(background).isEqualTo(new SparseBuildConfig(auto.dim(), auto.exactSegmentMaxDocs(),
                auto.build().withThreads(Math.max(1, cores - 1)), auto.encoding(), auto.budgetDocs(), auto.recallTarget(),
                auto.buildAtFlush(), auto.collectionSize()));
        SparseBuildConfig three = new SparseBuildConfig(auto.dim(), auto.exactSegmentMaxDocs(), auto.build().withThreads(3),
                auto.encoding());
        assertThat(three.inBackground()).isSameAs(three);
    }
}
