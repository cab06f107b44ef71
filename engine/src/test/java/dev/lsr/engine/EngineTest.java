package dev.lsr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.QueryWeights;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.index.Document;
import dev.lsr.index.InvalidRequestException;
import dev.lsr.index.SearchMode;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {

    @TempDir
    Path tmp;

    static final List<String> TEXTS = List.of(
            "Learned sparse retrieval expands documents with related terms.",
            "Dense retrieval embeds text into vectors.",
            "Lucene keeps inverted lists in segments.",
            "The cat sat on the mat.",
            "Proteins fold into three dimensional structures.",
            "Vaccines train the immune system.",
            "Inverted indexes map terms to documents.",
            "Sparse vectors have few non-zero weights.",
            "The stock market fell sharply on Monday.",
            "Rain is expected over the weekend.",
            "Retrieval models weigh terms by importance.",
            "Segments are merged in the background.",
            "A query names what the user wants.",
            "Documents carry titles and metadata.");

    static List<Document> docs() {
        List<Document> out = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            out.add(new Document("d" + i, null, TEXTS.get(i), Map.of("n", i, "lang", i % 2 == 0 ? "en" : "de"), null));
        }
        return out;
    }

    @Test
    void vectorsOnlyCollectionTakesVectorsAndTypedFilters() {
        try (Engine engine = Engine.open(tmp, EngineOptions.defaults().withDefaultModel(null))) {
            EngineCollection c = engine.create("vecs", NewCollection.vectorsOnly());
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                docs.add(new Document("v" + i, null, "doc " + i, Map.of("n", i, "tag", i % 3 == 0 ? "a" : "b"),
                        SparseVector.of(new int[] {i, 100}, new float[] {1f + i, 0.5f}, c.settings().dim())));
            }
            docs.add(new Document("text-only", null, "no vector here", Map.of(), null));
            AddResult added = c.add(docs);
            assertThat(added.indexed()).isEqualTo(20);
            assertThat(added.items().get(20).error()).isEqualTo("document 'text-only': the collection has no model, so the document needs a 'vector'");
            c.refresh();

            SparseVector q = SparseVector.of(new int[] {5, 100}, new float[] {1f, 1f}, c.settings().dim());
            SearchResult r = c.search(Query.vector(q).withK(3));
            assertThat(r.mode()).isEqualTo(SearchMode.APPROXIMATE);
            assertThat(r.hits().getFirst().id()).isEqualTo("v5");

            SearchResult filtered = c.search(Query.vector(q).withK(50).withMode(SearchMode.EXACT)
                    .withFilter(Filters.and(Filters.term("tag", "a"), Filters.range("n").gte(6).lt(16).build(),
                            Filters.not(Filters.terms("n", 9)))));
            assertThat(filtered.hits()).extracting(SearchResult.Hit::id).containsExactlyInAnyOrder("v6", "v12", "v15");
            SearchResult either = c.search(Query.vector(q).withK(50).withFilter(Filters.or(Filters.term("n", 1), Filters.term("id", "v2"))));
            assertThat(either.hits()).extracting(SearchResult.Hit::id).containsExactlyInAnyOrder("v1", "v2");

            assertThat(c.get("v3")).isPresent();
            c.delete("v3");
            c.refresh();
            assertThat(c.get("v3")).isEmpty();
            assertThat(c.stats().docs()).isEqualTo(19);
            assertThatThrownBy(() -> c.search(Query.text("anything")))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("has no model");
            assertThat(c.search(Query.text("doc").withMode(SearchMode.BM25)).hits()).isNotEmpty();
        }
    }

    @Test
    void aModelThatIsNotThereIsNamedOnceInTheRefusal() throws IOException {
        Path notAModel = java.nio.file.Files.writeString(tmp.resolve("notes.txt"), "not a model");
        try (Engine engine = Engine.open(tmp.resolve("data"), EngineOptions.defaults().withDefaultModel(null))) {
            assertThatThrownBy(() -> engine.create("a", NewCollection.model(notAModel.toString())))
                    .isInstanceOf(UnknownModelException.class)
                    .hasMessage("model '" + notAModel + "': not a model directory (no model.json) nor an .onnx export");
            assertThatThrownBy(() -> engine.create("b", NewCollection.model("no-such-model")))
                    .isInstanceOf(UnknownModelException.class)
                    .hasMessageStartingWith("model 'no-such-model': not found under ");
        }
    }

    @Test
    void aModelWithoutRecommendationsSearchesApproximateWithFullQueries() throws IOException {
        TinyModel.assume();
        try (Engine engine = Engine.open(tmp, EngineOptions.defaults().withDefaultModel(TinyModel.ONNX.toString()).withEncoderThreads(1))) {
            EngineCollection c = engine.create("plain");
            assertThat(c.model()).isEqualTo("tiny-mlm");
            assertThat(c.centring().status()).isEqualTo("off");
            assertThat(c.add(docs()).indexed()).isEqualTo(TEXTS.size());
            c.refresh();
            SearchResult r = c.search(Query.text("sparse retrieval").withExplain(true));
            assertThat(r.mode()).isEqualTo(SearchMode.APPROXIMATE);
            assertThat(r.queryEncoder()).isEqualTo(QueryEncoder.FULL);
            assertThat(r.query().tokens()).containsExactly("sparse", "retrieval");
            assertThat(r.hits()).isNotEmpty();
            assertThat(r.hits().getFirst().explanation()).allSatisfy(t -> assertThat(t.token()).isNotNull());
            // the query vector is the model's own full encoding
            SparseVector full = c.encoder().encodeQuery("sparse retrieval").vector();
            SearchResult exact = c.search(Query.text("sparse retrieval").withMode(SearchMode.EXACT));
            SearchResult byVector = c.search(Query.vector(full).withMode(SearchMode.EXACT));
            assertThat(exact.hits()).extracting(SearchResult.Hit::id).containsExactlyElementsOf(
                    byVector.hits().stream().map(SearchResult.Hit::id).toList());
        }
    }

    @Test
    void fullQueriesRunTheModelAlsoWhenItShipsAnInferenceFreeTable() throws IOException {
        // With query_weights.json in the directory (lsr model query-weights), the model opens with
        // inference-free queries: a collection's full-mode query used to get that table instead.
        String model = TinyModel.zeroShot(tmp, "tiny-with-table");
        Path dir = tmp.resolve("models").resolve(model);
        try (SparseEncoder enc = SparseEncoder.open(dir, EncoderOptions.defaults(dev.lsr.encoder.model.ModelDirectory.open(dir)).withThreads(1))) {
            enc.fitQueryWeights(TEXTS, 1.0);
        }
        try (Engine engine = Engine.open(tmp, EngineOptions.defaults().withDefaultModel(model).withEncoderThreads(1));
                SparseEncoder full = SparseEncoder.open(dir, EncoderOptions.defaults(dev.lsr.encoder.model.ModelDirectory.open(dir))
                        .withQueryMode(dev.lsr.encoder.QueryMode.FULL).withThreads(1));
                SparseEncoder table = SparseEncoder.open(dir, EncoderOptions.defaults(dev.lsr.encoder.model.ModelDirectory.open(dir)).withThreads(1))) {
            EngineCollection c = engine.create("table");
            String q = "heart attack risk in adults";
            SparseVector expected = full.encodeQuery(q).vector();
            assertThat(expected).isNotEqualTo(table.encodeQuery(q).vector());
            assertThat(c.encodeQuery(q, QueryEncoder.FULL, null).vector()).isEqualTo(expected);
        }
    }

    @Test
    void theZeroShotModelGetsHybridWithInferenceFreeQueriesAndCentring() throws IOException {
        String model = TinyModel.zeroShot(tmp, "tiny-zero-shot");
        try (Engine engine = Engine.open(tmp, EngineOptions.defaults().withDefaultModel(model).withEncoderThreads(1).withCentringFitDocs(4))) {
            EngineCollection c = engine.create("zs");
            assertThat(c.recommendedMode()).isEqualTo(SearchMode.HYBRID);
            assertThat(c.recommendedQueryEncoder()).isEqualTo(QueryEncoder.INFERENCE_FREE);
            assertThat(c.centring().status()).isEqualTo("pending");

            List<Document> docs = docs();
            c.add(docs.subList(0, 3));
            assertThat(c.centring()).isEqualTo(new CentringInfo("pending", 90.0, 3));
            c.add(docs.subList(3, docs.size()));
            assertThat(c.centring()).isEqualTo(new CentringInfo("fitted", 90.0, TEXTS.size()));
            c.refresh();

            // Offsets fitted on the collection's own documents; every document, the first ones too, centred.
            // (The tiny model's logits change with padding, so the expected rows come from the same batches.)
            Path dir = tmp.resolve("models").resolve(model);
            try (SparseEncoder own = SparseEncoder.open(dir, EncoderOptions.defaults(dev.lsr.encoder.model.ModelDirectory.open(dir)).withThreads(1))) {
                List<float[]> rows = new ArrayList<>(List.of(own.maxLogits(TEXTS.subList(0, 3))));
                rows.addAll(List.of(own.maxLogits(TEXTS.subList(3, TEXTS.size()))));
                float[] expected = SparseEncoder.centringOffsets(rows.toArray(float[][]::new), 90.0);
                assertThat(c.termOffsets()).containsExactly(expected);
                SparseEncoder centred = own.withOptions(own.options().withTermOffsets(expected));
                for (int i = 0; i < TEXTS.size(); i++) {
                    assertThat(c.get("d" + i).orElseThrow().vector()).isEqualTo(centred.postprocess(rows.get(i)));
                }
                assertThat(c.get("d0").orElseThrow().vector().size()).isPositive();
                // Inference-free query weights are the collection's IDF of the query's pieces.
                int[] df = Arrays.copyOf(c.index().documentFrequencies(), own.info().vocabSize());
                SparseEncoder idf = own.withOptions(own.options().withQueryWeights(QueryWeights.fromDocumentFrequencies(df, TEXTS.size())));
                SearchResult r = c.search(Query.text("sparse retrieval").withExplain(true));
                assertThat(r.mode()).isEqualTo(SearchMode.HYBRID);
                assertThat(r.queryEncoder()).isEqualTo(QueryEncoder.INFERENCE_FREE);
                SparseVector v = idf.encodeQuery("sparse retrieval").vector();
                assertThat(r.query().terms()).extracting(SearchResult.QueryTerm::termId)
                        .containsExactlyInAnyOrderElementsOf(Arrays.stream(v.indices()).boxed().toList());
                // the default hybrid is the model's linear 0.4 fusion
                SearchResult explicit = c.search(Query.text("sparse retrieval").withMode(SearchMode.HYBRID)
                        .withQueryEncoder(QueryEncoder.INFERENCE_FREE).withFusion("linear").withSparseWeight(0.4).withBm25Weight(0.6));
                assertThat(r.hits()).extracting(SearchResult.Hit::id).containsExactlyElementsOf(
                        explicit.hits().stream().map(SearchResult.Hit::id).toList());
                assertThat(r.hits()).extracting(SearchResult.Hit::score).containsExactlyElementsOf(
                        explicit.hits().stream().map(SearchResult.Hit::score).toList());
                assertWeights(r, v);

                // The IDF table follows the refreshed view: one document more, other weights.
                String word = null;
                for (int t = 0; t < df.length && word == null; t++) {
                    if (df[t] > 0 && c.vocabulary().token(t).matches("[a-z]{3,}")) {
                        word = c.vocabulary().token(t);
                    }
                }
                assertThat(word).as("a word some document holds").isNotNull();
                SparseVector before = idf.encodeQuery(word).vector();
                assertThat(before.size()).isPositive();
                assertWeights(c.search(Query.text(word).withExplain(true)), before);
                c.add(List.of(new Document("extra", null, "one more document " + word, Map.of(), null)));
                c.refresh();
                int[] df2 = Arrays.copyOf(c.index().documentFrequencies(), own.info().vocabSize());
                SparseVector after = own.withOptions(own.options().withQueryWeights(
                        QueryWeights.fromDocumentFrequencies(df2, TEXTS.size() + 1))).encodeQuery(word).vector();
                assertThat(after).isNotEqualTo(before);
                assertWeights(c.search(Query.text(word).withExplain(true)), after);
            }
        }
    }

    private static void assertWeights(SearchResult r, SparseVector expected) {
        Map<Integer, Float> got = new java.util.HashMap<>();
        for (SearchResult.QueryTerm t : r.query().terms()) {
            got.put(t.termId(), t.weight());
        }
        Map<Integer, Float> want = new java.util.HashMap<>();
        for (int i = 0; i < expected.size(); i++) {
            want.put(expected.index(i), expected.value(i));
        }
        assertThat(got).isEqualTo(want);
    }

    /**
     * Windows through {@link BulkAdd} (window i+1 started, so tokenised, before window i is
     * finished; the centring fit lands between a window's start and its finish) give exactly what
     * {@link EngineCollection#add} gives each window: the same items, offsets and vectors.
     */
    @Test
    void bulkAddWritesEachWindowExactlyAsAddDoes() throws IOException {
        String model = TinyModel.zeroShot(tmp, "tiny-zero-shot");
        try (Engine engine = Engine.open(tmp, EngineOptions.defaults().withDefaultModel(model).withEncoderThreads(1).withCentringFitDocs(6))) {
            EngineCollection byAdd = engine.create("by-add");
            EngineCollection byBulk = engine.create("by-bulk");
            List<Document> docs = new ArrayList<>(docs());
            docs.add(5, new Document("blank", null, " ", Map.of(), null));
            docs.add(9, new Document("own-vector", null, "comes with its vector", Map.of(),
                    SparseVector.of(new int[] {7, 42}, new float[] {1f, 2f}, byAdd.settings().dim())));
            List<List<Document>> windows = new ArrayList<>();
            for (int from = 0; from < docs.size(); from += 4) {
                windows.add(docs.subList(from, Math.min(docs.size(), from + 4)));
            }
            List<AddResult> expected = new ArrayList<>();
            for (List<Document> w : windows) {
                expected.add(byAdd.add(w));
            }
            List<AddResult> got = new ArrayList<>();
            int[] progressed = {0};
            try (BulkAdd bulk = byBulk.bulkAdd()) {
                BulkAdd.Window pending = null;
                for (List<Document> w : windows) {
                    BulkAdd.Window next = bulk.start(w);
                    assertThat(next.size()).isEqualTo(w.size());
                    if (pending != null) {
                        got.add(bulk.finish(pending, n -> progressed[0] += n));
                    }
                    pending = next;
                }
                got.add(bulk.finish(pending, n -> progressed[0] += n));
            }
            assertThat(progressed[0]).as("documents the model ran").isEqualTo(TEXTS.size());
            assertThat(got).hasSameSizeAs(expected);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).items()).isEqualTo(expected.get(i).items());
                assertThat(got.get(i).modelTokens()).isEqualTo(expected.get(i).modelTokens()).isPositive();
                assertThat(got.get(i).paddingTokens()).isEqualTo(expected.get(i).paddingTokens());
            }
            assertThat(got.stream().mapToInt(AddResult::failed).sum()).isEqualTo(1);
            assertThat(byBulk.centring()).isEqualTo(new CentringInfo("fitted", 90.0, 7)).isEqualTo(byAdd.centring());
            assertThat(byBulk.termOffsets()).containsExactly(byAdd.termOffsets());
            byAdd.refresh();
            byBulk.refresh();
            assertThat(byBulk.stats().docs()).isEqualTo(byAdd.stats().docs()).isEqualTo(docs.size() - 1);
            for (Document d : docs) {
                assertThat(byBulk.get(d.id()).map(Document::vector)).as(d.id()).isEqualTo(byAdd.get(d.id()).map(Document::vector));
            }
        }
    }

    @Test
    void aFitInterruptedByARestartReencodesFromStoredText() throws IOException {
        String model = TinyModel.zeroShot(tmp, "tiny-zero-shot");
        EngineOptions options = EngineOptions.defaults().withDefaultModel(model).withEncoderThreads(1).withCentringFitDocs(12);
        List<Document> docs = docs();
        try (Engine engine = Engine.open(tmp, options)) {
            EngineCollection c = engine.create("restart");
            c.add(docs.subList(0, 5));
            c.delete("d1");
            c.commit();
        }
        try (Engine engine = Engine.open(tmp, options)) {
            EngineCollection c = engine.collection("restart");
            assertThat(c.centring()).isEqualTo(new CentringInfo("pending", 90.0, 5));
            c.add(docs.subList(5, TEXTS.size()));
            assertThat(c.centring()).isEqualTo(new CentringInfo("fitted", 90.0, TEXTS.size() - 1));
            c.refresh();
            assertThat(c.get("d1")).as("a document deleted before the fit stays deleted").isEmpty();
            // The logits of the documents added before the restart are gone: they are encoded again, in one batch.
            SparseEncoder own = c.encoder();
            List<String> before = List.of(TEXTS.get(0), TEXTS.get(2), TEXTS.get(3), TEXTS.get(4));
            List<float[]> rows = new ArrayList<>(List.of(own.maxLogits(before)));
            rows.addAll(List.of(own.maxLogits(TEXTS.subList(5, TEXTS.size()))));
            float[] offsets = SparseEncoder.centringOffsets(rows.toArray(float[][]::new), 90.0);
            assertThat(c.termOffsets()).containsExactly(offsets);
            SparseEncoder centred = own.withOptions(own.options().withTermOffsets(offsets));
            assertThat(c.get("d0").orElseThrow().vector()).isEqualTo(centred.postprocess(rows.get(0)));
            assertThat(c.get("d4").orElseThrow().vector()).isEqualTo(centred.postprocess(rows.get(3)));
            assertThat(c.get("d5").orElseThrow().vector()).isEqualTo(centred.postprocess(rows.get(4)));
        }
        try (Engine engine = Engine.open(tmp, options)) {
            assertThat(engine.collection("restart").centring()).isEqualTo(new CentringInfo("fitted", 90.0, TEXTS.size() - 1));
        }
    }

    @Test
    void pseudoRelevanceFeedbackExpandsTheQueryWithTheTopDocuments() throws IOException {
        TinyModel.assume();
        try (Engine engine = Engine.open(tmp, EngineOptions.defaults().withDefaultModel(TinyModel.ONNX.toString()).withEncoderThreads(1))) {
            EngineCollection c = engine.create("prf");
            c.add(docs());
            c.refresh();
            Query q = Query.text("sparse retrieval").withMode(SearchMode.EXACT).withExplain(true);
            SearchResult plain = c.search(q);
            SearchResult none = c.search(q.withPrf(new Prf(2, 10, 0.0)));
            assertThat(none.hits()).extracting(SearchResult.Hit::id).containsExactlyElementsOf(
                    plain.hits().stream().map(SearchResult.Hit::id).toList());
            SearchResult expanded = c.search(q.withPrf(new Prf(2, 10, 0.5)));
            // the expanded query is the query interpolated with the first pass's top 2 documents, cut to 10 terms
            SparseVector q0 = c.encoder().encodeQuery("sparse retrieval").vector();
            List<SparseVector> top = plain.hits().subList(0, 2).stream().map(h -> c.get(h.id()).orElseThrow().vector()).toList();
            SparseVector expected = Feedback.expand(q0, top, 10, 0.5, c.settings().dim());
            assertThat(expected.size()).isGreaterThan(q0.size());
            assertThat(expanded.query().terms()).extracting(SearchResult.QueryTerm::termId)
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(expected.indices()).boxed().toList());
            SearchResult byVector = c.search(Query.vector(expected).withMode(SearchMode.EXACT));
            assertThat(expanded.hits()).extracting(SearchResult.Hit::id).containsExactlyElementsOf(
                    byVector.hits().stream().map(SearchResult.Hit::id).toList());
        }
    }
}
