package dev.lsr.seismic.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.seismic.SparseVector;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForwardIndexWriterTest {

    static List<SparseVector> vectors(int n, int dim, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<SparseVector> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int nnz = i % 17 == 0 ? 0 : 1 + rnd.nextInt(40);
            int[] ids = rnd.ints(0, dim).distinct().limit(nnz).sorted().toArray();
            float[] ws = new float[ids.length];
            for (int j = 0; j < ws.length; j++) {
                // Includes weights below the smallest half float and above the largest.
                ws[j] = j == 0 && i % 5 == 0 ? 1e-9f : j == 1 && i % 7 == 0 ? 1e6f : 0.01f + 3f * (float) rnd.nextDouble();
            }
            out.add(SparseVector.of(ids, ws, dim));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"F16, 30522", "U8, 30522", "F16, 100000", "U8, 100000"})
    void writesTheSameBytesAsTheBuilder(WeightEncoding encoding, int dim) {
        List<SparseVector> docs = vectors(500, dim, 3);
        long nnz = docs.stream().mapToLong(SparseVector::size).sum();
        ForwardIndexWriter w = new ForwardIndexWriter(dim, encoding, docs.size(), nnz);
        for (SparseVector v : docs) {
            w.add(v.indices(), v.values(), v.size());
        }
        ForwardIndex written = w.finish();
        ForwardIndex built = ForwardIndex.of(docs, dim, encoding);
        assertThat(written.size()).isEqualTo(built.size());
        assertThat(written.nnz()).isEqualTo(built.nnz());
        assertSameBytes(written.offsetsSegment(), built.offsetsSegment());
        assertSameBytes(written.idsSegment(), built.idsSegment());
        assertSameBytes(written.weightsSegment(), built.weightsSegment());
        assertSameBytes(written.scalesSegment(), built.scalesSegment());
    }

    private static void assertSameBytes(MemorySegment a, MemorySegment b) {
        assertThat(a.byteSize()).isEqualTo(b.byteSize());
        assertThat(a.mismatch(b)).isEqualTo(-1L);
    }

    @ParameterizedTest
    @CsvSource({"F16", "U8"})
    void refusesMoreThanAnnouncedAndAnIncompleteFinish(WeightEncoding encoding) {
        ForwardIndexWriter w = new ForwardIndexWriter(100, encoding, 2, 3);
        w.add(new int[] {1, 2}, new float[] {1f, 2f}, 2);
        assertThatThrownBy(() -> w.add(new int[] {1, 2}, new float[] {1f, 2f}, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("entries");
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("announced");
        assertThatThrownBy(() -> w.add(new int[] {100}, new float[] {1f}, 1))
                .hasMessageContaining("outside");
    }
}
