package dev.lsr.engine;

import dev.lsr.index.InvalidRequestException;

/**
 * Pseudo-relevance feedback (Rocchio on sparse vectors): a first search, then the query vector is
 * interpolated with the mean vector of the first {@code docs} hits, cut to its {@code terms}
 * heaviest terms, and searched again.
 *
 * @param docs top hits of the first pass whose vectors expand the query (1..100)
 * @param terms expansion terms kept (1..1000)
 * @param weight the expansion's share in [0, 1]: {@code q' = (1 - weight) q + weight |q|_1 e/|e|_1}
 */
public record Prf(int docs, int terms, double weight) {

    public Prf {
        if (docs < 1 || docs > 100) {
            throw new InvalidRequestException("'prf.docs' must be in [1, 100], was " + docs);
        }
        if (terms < 1 || terms > 1000) {
            throw new InvalidRequestException("'prf.terms' must be in [1, 1000], was " + terms);
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new InvalidRequestException("'prf.weight' must be in [0, 1], was " + weight);
        }
    }

    /** 3 documents, 20 terms, weight 0.3. */
    public static Prf defaults() {
        return new Prf(3, 20, 0.3);
    }

    /** Feedback as a request gives it: each null takes its {@link #defaults()} value (REST {@code params.prf}, the client). */
    public static Prf of(Integer docs, Integer terms, Double weight) {
        Prf d = defaults();
        return new Prf(docs == null ? d.docs() : docs, terms == null ? d.terms() : terms, weight == null ? d.weight() : weight);
    }
}
