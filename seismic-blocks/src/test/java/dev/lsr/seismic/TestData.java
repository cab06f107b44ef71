package dev.lsr.seismic;

import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.SyntheticCollection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Small synthetic collections shared by the tests. */
public final class TestData {
    private TestData() {}

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
