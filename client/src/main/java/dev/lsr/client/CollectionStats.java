package dev.lsr.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * @param model the collection's model name, or null when it takes vectors only
 * @param dim the vector dimension (the model's vocabulary size)
 * @param docs live documents as of the last refresh
 * @param seismicSegments segments with a Seismic structure (the others are searched exactly)
 */
public record CollectionStats(String name, String model, int dim, int docs, @JsonProperty("deleted_docs") int deletedDocs,
        int segments, @JsonProperty("seismic_segments") int seismicSegments, long bytes) {}
