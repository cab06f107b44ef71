package dev.lsr.index;

import java.util.List;

/** Hits best first, the mode that produced them, and how long the search took inside the index. */
public record SearchResponse(List<Hit> hits, SearchMode mode, long tookMicros) {
    public SearchResponse {
        hits = List.copyOf(hits);
    }
}
