package dev.lsr.index.search;

/** Parallel arrays of doc ids and scores, best first. */
public record ScoredDocs(int[] docs, float[] scores) {
    public int size() {
        return docs.length;
    }
}
