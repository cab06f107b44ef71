package dev.lsr.engine;

import java.util.Locale;

/** How a text query becomes a vector. */
public enum QueryEncoder {
    /** Run the model on the query text. */
    FULL,
    /** No model run: each distinct word piece of the query weighs its IDF in the collection (to a power the model recommends). */
    INFERENCE_FREE;

    /** {@code full} or {@code inference-free}. */
    public String label() {
        return this == FULL ? "full" : "inference-free";
    }

    /** Parses {@link #label()}; null for null. */
    public static QueryEncoder parse(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "full" -> FULL;
            case "inference-free" -> INFERENCE_FREE;
            default -> throw new dev.lsr.index.InvalidRequestException("query encoder must be full or inference-free, was '" + s + "'");
        };
    }
}
