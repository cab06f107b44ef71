package dev.lsr.index.codec;

/**
 * What a writer needs to build the per-segment structure: the vocabulary size and the doc count
 * under which a segment is searched exactly (no Seismic structure is built for it).
 */
public record SparseBuildConfig(int dim, int exactSegmentMaxDocs) {

    public static SparseBuildConfig defaults() {
        return new SparseBuildConfig(30522, 2000);
    }
}
