package dev.lsr.eval.beir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodedCorpusCacheTest {

    @TempDir
    Path root;

    private static SparseVector v(int id, float w) {
        return SparseVector.of(new int[] {id}, new float[] {w}, 100);
    }

    @Test
    void appendsResumesAndReadsBack() {
        EncodedCorpusCache c = EncodedCorpusCache.open(root, "k", Map.of("m", "x"), 3, 100);
        c.append(List.of(v(1, 1f), v(2, 2f)));
        // a new process reopens the same key and continues after the checkpoint
        EncodedCorpusCache again = EncodedCorpusCache.open(root, "k", Map.of("m", "x"), 3, 100);
        assertThat(again.completedDocs()).isEqualTo(2);
        assertThat(again.complete()).isFalse();
        again.append(List.of(v(3, 3f)));
        assertThat(again.complete()).isTrue();
        assertThat(again.readAll()).containsExactly(v(1, 1f), v(2, 2f), v(3, 3f));
    }

    @Test
    void aChunkWrittenAfterTheLastCheckpointIsIgnoredAndRewritten() throws IOException {
        EncodedCorpusCache c = EncodedCorpusCache.open(root, "k", Map.of(), 2, 100);
        c.append(List.of(v(1, 1f)));
        // simulate a crash mid-chunk: garbage where the next chunk goes, checkpoint unchanged
        Files.write(c.directory().resolve("chunk-000001.bin"), new byte[] {1, 2, 3});
        EncodedCorpusCache again = EncodedCorpusCache.open(root, "k", Map.of(), 2, 100);
        assertThat(again.readAll()).containsExactly(v(1, 1f));
        again.append(List.of(v(2, 2f)));
        assertThat(again.readAll()).containsExactly(v(1, 1f), v(2, 2f));
    }

    @Test
    void aCorruptedChunkIsRefusedNamingTheFile() throws IOException {
        EncodedCorpusCache c = EncodedCorpusCache.open(root, "k", Map.of(), 1, 100);
        c.append(List.of(v(1, 1f)));
        Path chunk = c.directory().resolve("chunk-000000.bin");
        byte[] b = Files.readAllBytes(chunk);
        b[20] ^= 1;
        Files.write(chunk, b);
        assertThatThrownBy(c::readAll).hasMessageContaining("chunk-000000.bin").hasMessageContaining("checksum");
    }

    @Test
    void keysDependOnModelCorpusAndOptions() {
        String k = EncodedCorpusCache.key("m", "c", "o");
        assertThat(EncodedCorpusCache.key("m2", "c", "o")).isNotEqualTo(k);
        assertThat(EncodedCorpusCache.key("m", "c2", "o")).isNotEqualTo(k);
        assertThat(EncodedCorpusCache.key("m", "c", "o2")).isNotEqualTo(k);
        assertThat(EncodedCorpusCache.key("m", "c", "o")).isEqualTo(k);
    }
}
