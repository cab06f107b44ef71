package dev.lsr.index;

import java.util.Locale;

/** How a search ranks documents. */
public enum SearchMode {
    /** Seismic approximate top-k per segment (exact for small segments and selective filters). */
    APPROXIMATE,
    /** Exact dot products over every (filtered, live) document. */
    EXACT,
    /** Lucene BM25 over title and text. */
    BM25,
    /** Approximate sparse and BM25 results fused (see {@link Fusion}). */
    HYBRID;

    /** Parses {@code approximate|exact|bm25|hybrid} (any case). */
    public static SearchMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException("unknown search mode '" + s + "' (expected approximate, exact, bm25, hybrid)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
