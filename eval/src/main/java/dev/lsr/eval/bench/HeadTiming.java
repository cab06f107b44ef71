package dev.lsr.eval.bench;

import java.util.Arrays;

/**
 * Times two implementations of the same head call side by side: runs alternate (A, B, A, B, ...)
 * so that noise from other work on the machine lands on both, and the median of each is reported.
 */
public final class HeadTiming {

    /** One call of a head on a fixed input. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    /** Medians in milliseconds. */
    public record Pair(double aMs, double bMs) {}

    private HeadTiming() {}

    /** Warm-up runs for at least {@code warmupMs} and {@code warmup} calls, so that C2 has compiled the kernels. */
    public static Pair alternate(Call a, Call b, int warmup, long warmupMs, int reps) throws Exception {
        long end = System.nanoTime() + warmupMs * 1_000_000L;
        for (int i = 0; i < warmup || System.nanoTime() < end; i++) {
            a.run();
            b.run();
        }
        long[] ta = new long[reps];
        long[] tb = new long[reps];
        for (int i = 0; i < reps; i++) {
            // Alternate which goes first so that neither always runs on a warmer cache.
            if ((i & 1) == 0) {
                ta[i] = time(a);
                tb[i] = time(b);
            } else {
                tb[i] = time(b);
                ta[i] = time(a);
            }
        }
        return new Pair(median(ta), median(tb));
    }

    public static double single(Call a, int warmup, long warmupMs, int reps) throws Exception {
        long end = System.nanoTime() + warmupMs * 1_000_000L;
        for (int i = 0; i < warmup || System.nanoTime() < end; i++) {
            a.run();
        }
        long[] t = new long[reps];
        for (int i = 0; i < reps; i++) {
            t[i] = time(a);
        }
        return median(t);
    }

    private static long time(Call c) throws Exception {
        long t0 = System.nanoTime();
        c.run();
        return System.nanoTime() - t0;
    }

    static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double m = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
        return Math.round(m / 1e3) / 1e3;
    }
}
