package dev.lsr.eval.bench;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.io.CsrMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --export-csr DIR}: the exact vectors a {@code bench seismic} run measured, as BigANN
 * {@code .csr} ({@code docs.csr}: the stored, quantised document weights; {@code queries.csr}),
 * so that another engine (the real Seismic) answers the very same problem.
 */
public final class CsrExport {
    private CsrExport() {}

    public static void write(Path dir, ForwardIndex forward, SparseVector[] queries) throws IOException {
        Files.createDirectories(dir);
        // Decoded one row at a time as the writer walks the list: no copy of the collection.
        List<SparseVector> docs = new AbstractList<>() {
            @Override
            public SparseVector get(int i) {
                return forward.vector(i);
            }

            @Override
            public int size() {
                return forward.size();
            }
        };
        CsrMatrix.write(dir.resolve("docs.csr"), docs, forward.dim());
        CsrMatrix.write(dir.resolve("queries.csr"), queryRows(queries, forward.dim()), forward.dim());
    }

    /** Query terms outside the documents' dimension match nothing in any method; a .csr cannot hold them. */
    static List<SparseVector> queryRows(SparseVector[] queries, int dim) {
        List<SparseVector> out = new ArrayList<>(queries.length);
        for (SparseVector q : queries) {
            int n = 0;
            while (n < q.size() && q.index(n) < dim) {
                n++;
            }
            int[] idx = new int[n];
            float[] val = new float[n];
            for (int i = 0; i < n; i++) {
                idx[i] = q.index(i);
                val[i] = q.value(i);
            }
            out.add(SparseVector.wrap(idx, val, dim));
        }
        return out;
    }
}
