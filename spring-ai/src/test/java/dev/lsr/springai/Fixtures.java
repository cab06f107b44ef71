package dev.lsr.springai;

import dev.lsr.client.CollectionSettings;
import dev.lsr.client.Document;
import dev.lsr.client.LsrOperations;
import dev.lsr.client.WriteOptions;
import dev.lsr.client.testing.WordHashEncoder;
import java.util.List;
import java.util.Map;

/** The documents every Spring AI test retrieves from. */
final class Fixtures {

    static final int DIM = 1000;
    static final WordHashEncoder ENCODER = new WordHashEncoder(DIM);

    private Fixtures() {}

    static List<Document> documents() {
        return List.of(
                doc("s1", "Learned sparse retrieval expands documents with related terms.", Map.of("lang", "en", "year", 2019)).withTitle("Sparse"),
                doc("s2", "Dense retrieval embeds text into vectors.", Map.of("lang", "en", "year", 2021)),
                doc("s3", "Lucene keeps inverted lists in segments.", Map.of("lang", "de", "year", 2023)),
                doc("s4", "Seismic blocks inverted lists and summarises each block.", Map.of("lang", "fr", "year", 2020)),
                doc("s5", "BM25 ranks by term frequency and inverse document frequency.", Map.of("lang", "de")));
    }

    private static Document doc(String id, String text, Map<String, Object> metadata) {
        return Document.ofVector(id, text, ENCODER.encode(text)).withMetadata(metadata);
    }

    /** A vectors-only collection with the documents and their word-hash vectors. */
    static void preEncoded(LsrOperations lsr, String name) {
        lsr.createCollection(name, CollectionSettings.vectorsOnly(DIM));
        lsr.addDocuments(name, documents(), WriteOptions.refreshed());
    }

    /** A collection whose model (settings) encodes the same texts. */
    static void encoded(LsrOperations lsr, String name, CollectionSettings settings) {
        lsr.createCollection(name, settings);
        lsr.addDocuments(name, documents().stream().map(d -> d.withVector(null)).toList(), WriteOptions.refreshed());
    }
}
