package dev.lsr.index.settings;

/** BM25 similarity of the {@code title} and {@code text} fields. */
public record Bm25Settings(Double k1, Double b) {

    public Bm25Settings {
        k1 = SettingsCheck.between("bm25.k1", k1, 0.9, 0.0, 100.0);
        b = SettingsCheck.between("bm25.b", b, 0.4, 0.0, 1.0);
    }

    public static Bm25Settings defaults() {
        return new Bm25Settings(null, null);
    }
}
