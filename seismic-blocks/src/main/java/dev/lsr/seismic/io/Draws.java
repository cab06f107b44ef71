package dev.lsr.seismic.io;

/** Seeded, stateless draws shared by the generated collections. */
final class Draws {
    private Draws() {}

    /** A well-mixed 64-bit seed for item {@code i} of a stream seeded by {@code seed} (SplitMix64 finaliser). */
    static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The first index whose cumulative probability reaches {@code u} (binary search). */
    static int sample(double[] cum, double u) {
        int lo = 0;
        int hi = cum.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
