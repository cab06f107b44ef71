package dev.lsr.encoder.head;

import java.util.SplittableRandom;

/** Random heads and hidden states for kernel tests. */
final class HeadTestData {
    private HeadTestData() {}

    static float[] gaussian(int n, double sd, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller keeps this independent of java.util.Random's algorithm.
            double u = r.nextDouble(1e-12, 1.0);
            double v = r.nextDouble();
            a[i] = (float) (sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return a;
    }

    /** A mask with varied padding: full, prefix, holes, and (optionally) an all-padding sequence. */
    static int[] mask(int batch, int tokens, boolean withEmpty, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] m = new int[batch * tokens];
        for (int b = 0; b < batch; b++) {
            int kind = b % 4;
            int len = kind == 0 ? tokens : 1 + r.nextInt(tokens);
            for (int t = 0; t < tokens; t++) {
                m[b * tokens + t] = switch (kind) {
                    case 0 -> 1;
                    case 1 -> t < len ? 1 : 0;
                    case 2 -> r.nextInt(3) == 0 ? 0 : 1;
                    default -> (withEmpty ? 0 : (t == tokens - 1 ? 1 : 0));
                };
            }
        }
        return m;
    }

    static float[] log1pRelu(float[] x) {
        float[] y = x.clone();
        FusedHead.log1pRelu(y, 0, y.length);
        return y;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
