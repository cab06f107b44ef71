package dev.lsr.index;

/** How hybrid search combines the sparse and the BM25 ranking. */
public sealed interface Fusion {

    /** Reciprocal-rank fusion: {@code sum over lists of 1 / (k + rank)}, rank from 1. */
    record Rrf(int k) implements Fusion {
        public Rrf {
            if (k < 1) {
                throw new InvalidRequestException("fusion 'rrf.k' must be >= 1, was " + k);
            }
        }
    }

    /**
     * Each list's scores min-max normalised to [0, 1], then {@code sparseWeight * s + bm25Weight * b}
     * (a document missing from a list contributes 0 for it).
     */
    record Linear(double sparseWeight, double bm25Weight) implements Fusion {
        public Linear {
            if (!(sparseWeight >= 0 && bm25Weight >= 0) || Double.isInfinite(sparseWeight)
                    || Double.isInfinite(bm25Weight) || sparseWeight + bm25Weight == 0) {
                throw new InvalidRequestException("fusion 'linear' weights must be finite, >= 0 and not both 0, were "
                        + sparseWeight + " and " + bm25Weight);
            }
        }
    }

    static Fusion rrf() {
        return new Rrf(60);
    }
}
