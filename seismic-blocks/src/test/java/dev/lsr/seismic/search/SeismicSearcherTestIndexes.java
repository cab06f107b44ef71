package dev.lsr.seismic.search;

import dev.lsr.seismic.SeismicIndex;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.build.SeismicBuilder;
import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.WeightEncoding;
import dev.lsr.seismic.io.SyntheticCollection;
import java.util.ArrayList;
import java.util.List;

/** Small indexes with u16 and u32 summary ids, for kernel agreement tests. */
final class SeismicSearcherTestIndexes {
    private SeismicSearcherTestIndexes() {}

    static SeismicIndex narrow(ForwardIndex f) {
        return SeismicBuilder.build(f, BuildParams.defaults().withNPostings(100));
    }

    /** The same documents in a dimension above 65536, so ids are stored as u32. */
    static SeismicIndex wide(SyntheticCollection c) {
        int dim = 70_000;
        List<SparseVector> docs = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            SparseVector d = c.document(i);
            docs.add(SparseVector.wrap(d.indices(), d.values(), dim));
        }
        return SeismicBuilder.build(ForwardIndex.of(docs, dim, WeightEncoding.F16), BuildParams.defaults().withNPostings(100));
    }
}
