package dev.lsr.seismic.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.TestData;
import dev.lsr.seismic.Vocabulary;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RealisticCollectionTest {
    static RealisticCollection c;

    @BeforeAll
    static void load() {
        Assumptions.assumeTrue(Files.isRegularFile(RealisticCollection.sharedFile()),
                "shared SPLADE++ vectors absent: " + RealisticCollection.sharedFile());
        c = TestData.realistic(5000, 9);
    }

    @Test
    void documentsLookLikeLearnedSparsePassages() {
        double nnz = 0;
        for (int i = 0; i < 2000; i++) {
            SparseVector d = c.document(i);
            nnz += d.size();
            for (int j = 0; j < d.size(); j++) {
                assertThat(d.value(j)).isPositive().isLessThanOrEqualTo(100f);
            }
        }
        assertThat(nnz / 2000).isBetween(120.0, 200.0);
        assertThat(c.dim()).isGreaterThan(10_000).isLessThanOrEqualTo(30_522);
    }

    /** Read from the file again, or derived with {@code with}: the same documents and queries per seed and index. */
    @Test
    void deterministicPerSeedAndIndex() {
        RealisticCollection same = RealisticCollection.parse("realistic:10:9");
        RealisticCollection other = c.with(10, 10);
        for (RealisticCollection x : List.of(same, c.with(10, 9))) {
            assertThat(x.size()).isEqualTo(10);
            assertThat(x.document(123)).isEqualTo(c.document(123));
            assertThat(x.query(7)).isEqualTo(c.query(7));
            assertThat(x.query(x.heldOutCount() + 3)).isEqualTo(c.query(c.heldOutCount() + 3));
        }
        assertThat(other.document(123)).isNotEqualTo(c.document(123));
        assertThat(other.query(7)).isNotEqualTo(c.query(7));
        assertThatThrownBy(() -> c.with(-1, 9)).hasMessageContaining(">= 0");
    }

    @Test
    void queriesAreRealHeldOutVectorsInTheSameIdSpaceAsTheSharedFile() throws Exception {
        Vocabulary v = c.vocabulary().orElseThrow();
        List<IdVector> real = AnseriniQueryTsv.read(RealisticCollection.sharedFile(), TokenMapper.of(v, v.size()),
                AnseriniQueryTsv.DEFAULT_SCALE);
        Set<SparseVector> realSet = new HashSet<>();
        real.forEach(x -> realSet.add(x.vector()));
        Set<SparseVector> held = new HashSet<>();
        for (int i = 0; i < c.heldOutCount(); i++) {
            assertThat(realSet).contains(c.query(i));
            held.add(c.query(i));
        }
        assertThat(held).hasSize(c.heldOutCount());
        assertThat(c.heldOutCount()).isEqualTo(real.size() * RealisticCollection.HELD_OUT_PERCENT / 100);
        // Past the pool, queries are jittered copies, not exact repeats.
        assertThat(c.query(c.heldOutCount())).isNotEqualTo(c.query(0));
    }

    @Test
    void badSpecsNameTheProblem() {
        assertThatThrownBy(() -> RealisticCollection.parse("realistic:x")).hasMessageContaining("realistic:N[:seed]");
        assertThatThrownBy(() -> RealisticCollection.parse("realistic:-1")).hasMessageContaining(">= 0");
        // The generic parser hands realistic specs to this one (its own message): checked without a
        // second 1 GB read of the shared file (deterministicPerSeedAndIndex parses one from it).
        assertThatThrownBy(() -> GeneratedCollection.parse("realistic:-1")).hasMessageContaining("realistic size must be >= 0");
        assertThatThrownBy(() -> GeneratedCollection.parse("synthetic:-1")).hasMessageNotContaining("realistic");
    }
}
