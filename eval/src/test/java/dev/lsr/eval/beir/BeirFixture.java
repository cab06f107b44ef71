package dev.lsr.eval.beir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny BEIR-layout dataset written by tests: a dozen one-topic documents, four queries with
 * hand-made qrels (one graded), and matching pre-encoded vectors whose exact ranking puts each
 * query's best document first.
 */
public final class BeirFixture {

    /** Topic words per document d0..d11; document i is about TOPICS[i]. */
    static final String[][] TOPICS = {
        {"coffee", "espresso", "bean"}, {"tea", "leaf", "green"}, {"river", "water", "fish"},
        {"mountain", "snow", "peak"}, {"guitar", "music", "string"}, {"piano", "music", "key"},
        {"rocket", "space", "orbit"}, {"planet", "space", "star"}, {"bread", "flour", "oven"},
        {"cheese", "milk", "cow"}, {"soccer", "ball", "goal"}, {"tennis", "ball", "racket"},
    };

    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("qrels"));
        List<String> corpus = new ArrayList<>();
        List<String> vectors = new ArrayList<>();
        for (int i = 0; i < TOPICS.length; i++) {
            String[] t = TOPICS[i];
            corpus.add("{\"_id\": \"d" + i + "\", \"title\": \"" + t[0] + "\", \"text\": \"all about " + t[0] + " "
                    + t[1] + " and " + t[2] + "\"}");
            vectors.add("{\"id\": \"d" + i + "\", \"contents\": \"\", \"vector\": {\"" + t[0] + "\": 3.0, \"" + t[1]
                    + "\": 2.0, \"" + t[2] + "\": 1.0}}");
        }
        Files.write(dir.resolve("corpus.jsonl"), corpus);
        Files.write(dir.resolve("docs.jsonl"), vectors);
        Files.write(dir.resolve("queries.jsonl"), List.of(
                "{\"_id\": \"q1\", \"text\": \"espresso coffee\"}",
                "{\"_id\": \"q2\", \"text\": \"music piano\"}",
                "{\"_id\": \"q3\", \"text\": \"space rocket orbit\"}",
                "{\"_id\": \"q4\", \"text\": \"ball tennis\"}",
                "{\"_id\": \"q5\", \"text\": \"unjudged query\"}"));
        // Anserini TSV: weight = repetitions / 100
        Files.write(dir.resolve("queries.tsv"), List.of(
                "q1\t" + rep("espresso", 100) + " " + rep("coffee", 200),
                "q2\t" + rep("music", 100) + " " + rep("piano", 200),
                "q3\t" + rep("space", 100) + " " + rep("rocket", 200) + " " + rep("orbit", 50),
                "q4\t" + rep("ball", 100) + " " + rep("tennis", 200),
                "q5\t" + rep("unjudged", 100)));
        Files.writeString(dir.resolve("qrels/test.tsv"), """
                query-id\tcorpus-id\tscore
                q1\td0\t1
                q2\td5\t2
                q2\td4\t1
                q3\td6\t1
                q3\td7\t1
                q4\td11\t1
                q4\td2\t0
                """);
        return dir;
    }

    private static String rep(String token, int n) {
        return String.join(" ", java.util.Collections.nCopies(n, token));
    }

    private BeirFixture() {}
}
