package dev.lsr.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM indexing and committing in a loop is killed with SIGKILL at random moments; after
 * each kill the collection must open, hold every document whose commit was acknowledged, and pass
 * Lucene's CheckIndex (which also verifies our per-segment sparse files' checksums).
 */
class CrashSafetyTest {

    static final int CYCLES = 5;

    @TempDir
    Path tmp;

    @Test
    void acknowledgedCommitsSurviveSigkill() throws Exception {
        Path dir = tmp.resolve("crash");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        SplittableRandom rnd = new SplittableRandom(42);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), dir.toString(), "r" + cycle);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process child = pb.start();
            CountDownLatch ready = new CountDownLatch(1);
            List<String> acksThisCycle = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.equals("READY")) {
                            ready.countDown();
                        } else if (line.startsWith("ACK ")) {
                            String[] ids = line.substring(4).split(" ");
                            acknowledged.addAll(List.of(ids));
                            synchronized (acksThisCycle) {
                                acksThisCycle.add(line);
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    // The pipe breaks when the child dies.
                }
            });
            reader.start();
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child started").isTrue();
            Thread.sleep(150 + rnd.nextInt(1200));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);

            try (Directory d = FSDirectory.open(dir.resolve("index"));
                    CheckIndex check = new CheckIndex(d)) {
                check.setLevel(CheckIndex.Level.MIN_LEVEL_FOR_INTEGRITY_CHECKS);
                CheckIndex.Status status = check.checkIndex();
                assertThat(status.clean).as("CheckIndex after kill in cycle " + cycle).isTrue();
            }
            try (Collection c = Collection.open(dir)) {
                c.refresh();
                for (String id : acknowledged) {
                    assertThat(c.get(id)).as("acknowledged document " + id + " after cycle " + cycle).isPresent();
                }
                assertThat(c.stats().docs()).isGreaterThanOrEqualTo(acknowledged.size());
            }
            System.out.printf("crash cycle %d: %d acknowledged batches this run, %d documents acknowledged in all%n",
                    cycle, acksThisCycle.size(), acknowledged.size());
        }
        assertThat(acknowledged).isNotEmpty();
    }
}
