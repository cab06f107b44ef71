package dev.lsr.index;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.io.RealisticCollection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Small clustered random sparse vectors for tests (topics share terms, so neighbours exist). */
final class TestVectors {

    static final int DIM = 2000;

    private TestVectors() {}

    /**
     * {@code realistic:size} (default seed), its real vectors read from ../shared once for all the
     * tests of a JVM (each read takes seconds). Callers check {@link RealisticCollection#sharedFile()} first.
     */
    static RealisticCollection realistic(int size) {
        return RealisticOnce.LOADED.with(size, RealisticCollection.DEFAULT_SEED);
    }

    /** Loaded on first use (class initialisation), then never changed. */
    private static final class RealisticOnce {
        static final RealisticCollection LOADED = RealisticCollection.parse("realistic:0");
    }

    static SparseVector random(SplittableRandom rnd, int nnz) {
        int topic = rnd.nextInt(20);
        TreeMap<Integer, Float> m = new TreeMap<>();
        while (m.size() < nnz) {
            int id = rnd.nextInt(3) == 0 ? rnd.nextInt(DIM) : topic * 50 + rnd.nextInt(60);
            m.put(id, 0.05f + 2.9f * (float) rnd.nextDouble());
        }
        int[] ids = new int[m.size()];
        float[] ws = new float[m.size()];
        int i = 0;
        for (Map.Entry<Integer, Float> e : m.entrySet()) {
            ids[i] = e.getKey();
            ws[i++] = e.getValue();
        }
        return SparseVector.of(ids, ws, DIM);
    }

    static List<Document> documents(long seed, int from, int count) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Document> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(new Document("d" + i, "title " + i, "text of document " + i + (i % 2 == 0 ? " even apples" : " odd oranges"),
                    Map.of("group", "g" + (i % 10), "n", i, "even", i % 2 == 0), random(rnd, 30)));
        }
        return out;
    }
}
