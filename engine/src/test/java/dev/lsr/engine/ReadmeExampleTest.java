package dev.lsr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.index.Document;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of engine/README.md, as written there (with the tiny model in place of the default one). */
class ReadmeExampleTest {

    @TempDir
    Path tmp;

    @Test
    void readmeExample() {
        TinyModel.assume();
        String model = TinyModel.ONNX.toString();
        Path dataDir = tmp;
        // --- README example begins
        try (Engine engine = Engine.open(dataDir, EngineOptions.defaults().withDefaultModel(model))) {
            EngineCollection notes = engine.create("notes");                 // the default model
            AddResult added = notes.add(List.of(
                    new Document("1", "Sparse retrieval", "Learned sparse retrieval expands documents.", Map.of("lang", "en"), null),
                    new Document("2", null, "Dense retrieval embeds text into vectors.", Map.of("lang", "en"), null),
                    new Document("3", null, "Lucene keeps inverted lists in segments.", Map.of("lang", "de"), null)));
            notes.refresh();                                                 // visible to searches
            SearchResult result = notes.search(Query.text("sparse retrieval")
                    .withK(2)
                    .withFilter(Filters.and(Filters.term("lang", "en"), Filters.not(Filters.term("id", "2"))))
                    .withExplain(true));
            for (SearchResult.Hit hit : result.hits()) {
                System.out.println(hit.id() + " " + hit.score() + " " + hit.explanation());
            }
            // --- README example ends
            assertThat(added.indexed()).isEqualTo(3);
            assertThat(result.hits()).extracting(SearchResult.Hit::id).containsExactly("1");
        }
    }
}
