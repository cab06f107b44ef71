package dev.lsr.eval.bench;

/** Recall@k of result lists against the exact top-k (ties beyond k are not credited). */
public final class Recall {
    private Recall() {}

    public static double at(int[][] truth, int[][] got, int k) {
        double sum = 0;
        int counted = 0;
        for (int q = 0; q < truth.length; q++) {
            int[] t = truth[q];
            int tk = Math.min(k, t.length);
            if (tk == 0) {
                continue;
            }
            int hit = 0;
            int[] g = got[q];
            for (int i = 0; i < Math.min(k, g.length); i++) {
                for (int j = 0; j < tk; j++) {
                    if (t[j] == g[i]) {
                        hit++;
                        break;
                    }
                }
            }
            sum += hit / (double) tk;
            counted++;
        }
        return counted == 0 ? 1.0 : sum / counted;
    }
}
