package dev.lsr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.Document;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes made without a commit become durable within the engine's commit interval: the last commit
 * on disk, read by a reader of its own (what a restart after a crash would find), holds them.
 */
class PeriodicCommitsTest {

    @TempDir
    Path tmp;

    @Test
    void changedCollectionsAreCommittedWithinTheInterval() throws Exception {
        try (Engine engine = Engine.open(tmp, EngineOptions.defaults().withDefaultModel(null).withCommitIntervalMs(100))) {
            EngineCollection c = engine.create("vecs", NewCollection.vectorsOnly());
            c.add(docs(c, 0, 25));
            assertThat(awaitCommitted("vecs", 25, 10_000)).isEqualTo(25);
            c.add(docs(c, 25, 5));
            c.delete("v0");
            assertThat(awaitCommitted("vecs", 29, 10_000)).isEqualTo(29);
        }
    }

    @Test
    void withoutAnIntervalOnlyExplicitCommitsAndCloseCommit() throws Exception {
        try (Engine engine = Engine.open(tmp, EngineOptions.defaults().withDefaultModel(null).withCommitIntervalMs(0))) {
            EngineCollection c = engine.create("vecs", NewCollection.vectorsOnly());
            c.add(docs(c, 0, 25));
            Thread.sleep(1_000);
            assertThat(committedDocs("vecs")).isZero();
            c.commit();
            assertThat(committedDocs("vecs")).isEqualTo(25);
        }
    }

    @Test
    void theDefaultIsFifteenSeconds() {
        assertThat(EngineOptions.defaults().commitIntervalMs()).isEqualTo(15_000);
        assertThat(new EngineOptions(null, 0, 1, null, 0).commitIntervalMs()).isEqualTo(EngineOptions.DEFAULT_COMMIT_INTERVAL_MS);
    }

    private static List<Document> docs(EngineCollection c, int from, int n) {
        List<Document> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new Document("v" + i, null, "doc " + i, Map.of("n", i),
                    SparseVector.of(new int[] {i, 100}, new float[] {1f + i, 0.5f}, c.settings().dim())));
        }
        return out;
    }

    private int awaitCommitted(String name, int expected, long timeoutMs) throws Exception {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        int n = committedDocs(name);
        while (n != expected && System.nanoTime() < end) {
            Thread.sleep(50);
            n = committedDocs(name);
        }
        return n;
    }

    /** Live documents of the last commit in the collection's directory. */
    private int committedDocs(String name) throws IOException {
        try (FSDirectory dir = FSDirectory.open(tmp.resolve(name).resolve("index"));
                DirectoryReader r = DirectoryReader.open(dir)) {
            return r.numDocs();
        }
    }
}
