package dev.lsr.index;

/**
 * A snapshot of a collection as its current searcher sees it.
 *
 * @param docs live documents
 * @param deletedDocs deleted documents not yet merged away
 * @param segments Lucene segments
 * @param seismicSegments segments with a Seismic structure; the others are searched exactly
 * @param bytes size of all files of the Lucene index
 * @param pendingSegments segments flushed without the Seismic structure their size calls for,
 *     waiting for its background build (searched exactly until then; see
 *     {@link Collection#awaitBuilds()})
 */
public record CollectionStats(String name, String model, int dim, int docs, int deletedDocs, int segments,
        int seismicSegments, long bytes, int pendingSegments) {

    /** Without background builds pending. */
    public CollectionStats(String name, String model, int dim, int docs, int deletedDocs, int segments,
            int seismicSegments, long bytes) {
        this(name, model, dim, docs, deletedDocs, segments, seismicSegments, bytes, 0);
    }
}
