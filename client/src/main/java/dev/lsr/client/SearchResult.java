package dev.lsr.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * @param hits best first
 * @param mode the mode that answered
 * @param tookMs the server's time for the request
 * @param query the query's terms when {@code explain} was asked (and the mode has a query vector), else null
 */
public record SearchResult(List<Hit> hits, String mode, @JsonProperty("took_ms") double tookMs, QueryInfo query) {

    public SearchResult {
        hits = hits == null ? List.of() : hits;
    }
}
