package dev.lsr.index.reliability;

import dev.lsr.index.Document;
import dev.lsr.seismic.SparseVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Deterministic clustered sparse documents; document {@code i} is the same for a given seed whatever the batch. */
final class RandomDocs {

    static final int DIM = 2000;

    private RandomDocs() {}

    static SparseVector vector(long seed, int i) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
        int topic = rnd.nextInt(20);
        TreeMap<Integer, Float> m = new TreeMap<>();
        while (m.size() < 30) {
            int id = rnd.nextInt(3) == 0 ? rnd.nextInt(DIM) : topic * 50 + rnd.nextInt(60);
            m.put(id, 0.05f + 2.9f * (float) rnd.nextDouble());
        }
        int[] ids = m.keySet().stream().mapToInt(Integer::intValue).toArray();
        float[] ws = new float[ids.length];
        for (int k = 0; k < ids.length; k++) {
            ws[k] = m.get(ids[k]);
        }
        return SparseVector.of(ids, ws, DIM);
    }

    static Document document(long seed, int i) {
        return new Document("d" + i, "title " + i, "text of document " + i, Map.of("n", i), vector(seed, i));
    }

    static List<Document> documents(long seed, int from, int count) {
        List<Document> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            out.add(document(seed, i));
        }
        return out;
    }
}
