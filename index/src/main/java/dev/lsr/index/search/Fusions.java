package dev.lsr.index.search;

import dev.lsr.index.Fusion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Fuses two rankings of top-level doc ids (best first) into one. */
public final class Fusions {

    private Fusions() {}

    public static ScoredDocs fuse(Fusion fusion, ScoredDocs sparse, ScoredDocs bm25, int k) {
        Map<Integer, Double> fused = new HashMap<>();
        switch (fusion) {
            case Fusion.Rrf rrf -> {
                addRrf(fused, sparse, rrf.k());
                addRrf(fused, bm25, rrf.k());
            }
            case Fusion.Linear lin -> {
                addLinear(fused, sparse, lin.sparseWeight());
                addLinear(fused, bm25, lin.bm25Weight());
            }
        }
        List<Map.Entry<Integer, Double>> entries = new ArrayList<>(fused.entrySet());
        entries.sort((a, b) -> {
            int c = Double.compare(b.getValue(), a.getValue());
            return c != 0 ? c : Integer.compare(a.getKey(), b.getKey());
        });
        int n = Math.min(k, entries.size());
        int[] docs = new int[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            docs[i] = entries.get(i).getKey();
            scores[i] = entries.get(i).getValue().floatValue();
        }
        return new ScoredDocs(docs, scores);
    }

    private static void addRrf(Map<Integer, Double> fused, ScoredDocs list, int k) {
        for (int rank = 0; rank < list.size(); rank++) {
            fused.merge(list.docs()[rank], 1.0 / (k + rank + 1), Double::sum);
        }
    }

    private static void addLinear(Map<Integer, Double> fused, ScoredDocs list, double weight) {
        if (list.size() == 0) {
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (float s : list.scores()) {
            max = Math.max(max, s);
            min = Math.min(min, s);
        }
        double range = max - min;
        for (int i = 0; i < list.size(); i++) {
            // A list whose scores are all equal ranks nothing above anything else: all get 1.
            double norm = range > 0 ? (list.scores()[i] - min) / range : 1.0;
            fused.merge(list.docs()[i], weight * norm, Double::sum);
        }
    }
}
