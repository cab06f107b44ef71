package dev.lsr.index.codec;

import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;

/**
 * What a writer needs to build the per-segment structure: the vocabulary size, the doc count
 * under which a segment is searched exactly (no Seismic structure is built for it), and the
 * Seismic build parameters and forward-index weight encoding.
 */
public record SparseBuildConfig(int dim, int exactSegmentMaxDocs, BuildParams build, WeightEncoding encoding) {

    public static SparseBuildConfig defaults() {
        return new SparseBuildConfig(30522, 2000, BuildParams.defaults(), WeightEncoding.F16);
    }
}
