package dev.lsr.index.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.Collection;
import dev.lsr.index.Collections;
import dev.lsr.index.Document;
import dev.lsr.index.IndexException;
import dev.lsr.index.settings.CollectionSettings;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up while a collection indexes (simulated below Lucene: every output fails with
 * ENOSPC once a byte budget is spent, at a different point of flush / sparse-file build / commit
 * each round). The failing write must name the cause; every document acknowledged by an earlier
 * commit must survive with its vector; CheckIndex must find the index clean; and once space is
 * freed, writes through the same {@link Collections} must succeed again without a restart.
 */
class DiskFullTest {

    private static final long SEED = 7;
    private static final int BATCH = 150;
    /** Bytes that still fit when a round starts: from "full already" to "full in the middle of flush". */
    private static final long[] BUDGETS = {0, 512, 4_096, 20_000, 60_000, 120_000};

    @TempDir
    Path tmp;

    @Test
    void diskFullFailsClearlyLosesNothingAndRecoversOnceSpaceIsFreed() throws Exception {
        FaultyDirectory.Disk disk = new FaultyDirectory.Disk();
        Set<Integer> acknowledged = new LinkedHashSet<>();
        int next = 0;
        int failedRounds = 0;
        try (Collections collections = Collections.open(tmp, disk.wrapper())) {
            Collection c = collections.create("full", CollectionSettings.defaults().withDim(RandomDocs.DIM).withRefreshIntervalMs(0));
            next = writeAndCommit(c, next, acknowledged);

            for (long budget : BUDGETS) {
                disk.fillUpAfter(budget);
                try {
                    next = writeAndCommit(collections.get("full"), next, acknowledged);
                } catch (IndexException e) {
                    failedRounds++;
                    next += BATCH;
                    assertThat(e).as("budget " + budget).hasMessageContaining(FaultyDirectory.ENOSPC)
                            .hasMessageContaining("collection 'full'");
                    // Still full: a second write fails too, and still names the cause.
                    try {
                        writeAndCommit(collections.get("full"), next, acknowledged);
                    } catch (IndexException again) {
                        assertThat(again).hasMessageContaining(FaultyDirectory.ENOSPC);
                    }
                    next += BATCH;
                }
                disk.freeSpace();
                Collection recovered = collections.get("full");
                next = writeAndCommit(recovered, next, acknowledged);
                recovered.refresh();
                assertAllPresent(recovered, acknowledged);
            }
        }
        System.out.printf("DiskFullTest: %d of %d rounds hit a full disk (%d injected ENOSPC), %d acknowledged documents intact, CheckIndex clean%n",
                failedRounds, BUDGETS.length, disk.failures(), acknowledged.size());
        assertThat(failedRounds).as("small budgets must make writes fail").isGreaterThanOrEqualTo(3);
        try (Directory d = FSDirectory.open(tmp.resolve("full").resolve("index")); CheckIndex check = new CheckIndex(d)) {
            check.setLevel(CheckIndex.Level.MIN_LEVEL_FOR_INTEGRITY_CHECKS);
            assertThat(check.checkIndex().clean).as("CheckIndex").isTrue();
        }
        try (Collection c = Collection.open(tmp.resolve("full"))) {
            c.refresh();
            assertAllPresent(c, acknowledged);
        }
    }

    private static int writeAndCommit(Collection c, int from, Set<Integer> acknowledged) {
        c.upsert(RandomDocs.documents(SEED, from, BATCH));
        c.commit();
        for (int i = from; i < from + BATCH; i++) {
            acknowledged.add(i);
        }
        return from + BATCH;
    }

    private static void assertAllPresent(Collection c, Set<Integer> acknowledged) {
        for (int i : acknowledged) {
            Document d = c.get("d" + i).orElseThrow(() -> new AssertionError("acknowledged d" + i + " lost"));
            assertThat(d.vector()).as("vector of d" + i).isEqualTo(RandomDocs.vector(SEED, i));
        }
    }
}
