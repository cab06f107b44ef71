package dev.lsr.encoder;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded word salad for encoder tests: some texts blank, most short, some past the model's max tokens. */
final class RandomTexts {

    private static final String[] WORDS = {"protein", "folding", "lucene", "sparse", "retrieval", "cells", "kinetics",
        "of", "the", "a", "index", "query", "vector", "model", "segment", "search", "merge", "term", "weight", "document"};

    private RandomTexts() {}

    static List<String> of(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(r.nextInt(5) == 0 ? 600 : 40);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                sb.append(k == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }
}
