package dev.lsr.seismic;

import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.RealisticCollection;
import dev.lsr.seismic.io.SyntheticCollection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Small synthetic collections shared by the tests, and the realistic one read once per test JVM. */
public final class TestData {
    private TestData() {}

    /**
     * {@code realistic:size:seed}, its real vectors read from ../shared once for all the tests of a
     * JVM (each read takes seconds). Callers check {@link RealisticCollection#sharedFile()} first.
     */
    public static RealisticCollection realistic(int size, long seed) {
        return RealisticOnce.LOADED.with(size, seed);
    }

    /** Loaded on first use (class initialisation), then never changed. */
    private static final class RealisticOnce {
        static final RealisticCollection LOADED = RealisticCollection.parse("realistic:0");
    }

    public static List<SparseVector> docs(SyntheticCollection c, int n) {
        return IntStream.range(0, n).parallel().mapToObj(c::document).toList();
    }

    public static List<SparseVector> queries(SyntheticCollection c, int n) {
        List<SparseVector> q = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            q.add(c.query(i));
        }
        return q;
    }

    public static ForwardIndex forward(SyntheticCollection c, int n, WeightEncoding e) {
        return ForwardIndex.of(docs(c, n), c.dim(), e);
    }
}
