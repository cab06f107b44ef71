package dev.lsr.client;

import java.util.List;
import java.util.Map;

/**
 * One search hit, best first.
 *
 * @param id the document id
 * @param score the mode's score: the sparse dot product (approximate, exact), BM25, or the fused
 *     score (hybrid: RRF or linear over normalised scores)
 * @param title stored title, or null (also when the search asked for no stored fields)
 * @param text stored text, or null (also when the search asked for no stored fields)
 * @param metadata stored metadata; never null (empty too when the search asked for no stored fields)
 * @param explanation per-term contributions when asked for ({@code explain}), else empty
 */
public record Hit(String id, float score, String title, String text, Map<String, Object> metadata,
        List<TermContribution> explanation) {

    public Hit {
        metadata = metadata == null ? Map.of() : metadata;
        explanation = explanation == null ? List.of() : explanation;
    }
}
