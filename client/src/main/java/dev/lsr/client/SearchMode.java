package dev.lsr.client;

import java.util.Locale;

/**
 * How a collection is searched; the REST API's {@code mode}. A query without one runs the collection's
 * recommended search (see {@link SearchQuery}).
 */
public enum SearchMode {
    /** Seismic approximate search over the sparse vectors. */
    APPROXIMATE,
    /** Exact sparse search (every posting scored). */
    EXACT,
    /** Lucene BM25 over title and text. */
    BM25,
    /** Sparse and BM25 fused (RRF or linear, see {@link SearchParams}). */
    HYBRID;

    /** The name on the wire: approximate, exact, bm25, hybrid. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label, case-insensitively; the error names the accepted values. */
    public static SearchMode parse(String label) {
        for (SearchMode m : values()) {
            if (m.label().equalsIgnoreCase(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be one of approximate, exact, bm25, hybrid; was '" + label + "'");
    }
}
