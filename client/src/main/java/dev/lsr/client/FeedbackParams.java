package dev.lsr.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pseudo-relevance feedback of a search (the REST {@code params.prf}): the query vector is expanded
 * with the terms of the first pass's top documents and searched again. A null field takes the
 * service's default (3 documents, 20 terms, weight 0.3).
 *
 * @param docs top hits of the first pass whose vectors expand the query (1..100)
 * @param terms expansion terms kept (1..1000)
 * @param weight the expansion's share in [0, 1]
 */
public record FeedbackParams(Integer docs, Integer terms, Double weight) {

    /** Feedback with the service's defaults. */
    public static FeedbackParams defaults() {
        return new FeedbackParams(null, null, null);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (docs != null) {
            m.put("docs", docs);
        }
        if (terms != null) {
            m.put("terms", terms);
        }
        if (weight != null) {
            m.put("weight", weight);
        }
        return m;
    }
}
