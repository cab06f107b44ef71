package dev.lsr.index;

import java.util.List;
import java.util.Map;

/**
 * One search result with its stored fields.
 *
 * @param score the sparse dot product (approximate/exact), the BM25 score, or the fused score
 * @param explanation per-term contributions of the sparse score, largest first; {@code null}
 *     unless requested (and empty when the request had no vector)
 */
public record Hit(String id, float score, String title, String text, Map<String, Object> metadata,
        List<TermContribution> explanation) {}
