package dev.lsr.index.search;

/**
 * How far Seismic search widens under a filter. A filter passing a fraction {@code s} of a
 * segment's documents makes its top-k the top-k of the passing ones, which sit around rank
 * {@code k / s} of the unfiltered ranking: deeper than the statically pruned lists of the few
 * largest query terms reach as well. Measured on realistic:200000 (index/README.md, "Filters at
 * any selectivity"): at the unfiltered setting (10 terms, heap factor 0.8) recall@10 falls from
 * 0.928 unfiltered to 0.913 at 50% passing, 0.894 at 20% and 0.858 at 10%; visiting
 * {@code queryCut / s^0.8} lists with heap factor {@code heapFactor x s^0.35} brings every
 * selectivity from 20% up to at least the unfiltered recall. Below about 15% even every
 * block of every list misses too many passing documents (0.939 at 10%), which is why such
 * filters are searched exactly ({@code filter_exact_fraction}). At {@code s = 1} (no filter,
 * or one passing everything) nothing changes.
 */
final class FilterWidening {

    private static final double CUT_EXPONENT = 0.8;
    private static final double HEAP_EXPONENT = 0.35;

    private FilterWidening() {}

    /** The query cut for a filter passing {@code selectivity} (in (0, 1]) of the live documents. */
    static int queryCut(int queryCut, double selectivity) {
        if (selectivity >= 1.0) {
            return queryCut;
        }
        double widened = Math.ceil(queryCut / Math.pow(selectivity, CUT_EXPONENT));
        return (int) Math.min(Integer.MAX_VALUE, widened);
    }

    /** The heap factor for a filter passing {@code selectivity} (in (0, 1]) of the live documents. */
    static double heapFactor(double heapFactor, double selectivity) {
        if (selectivity >= 1.0) {
            return heapFactor;
        }
        return heapFactor * Math.pow(selectivity, HEAP_EXPONENT);
    }
}
