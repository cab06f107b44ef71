package dev.lsr.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.onnx.GraphBuilder;
import dev.lsr.encoder.onnx.Int8WeightsProperty;
import dev.lsr.encoder.onnx.IntegerProducts;
import dev.lsr.encoder.onnx.proto.GraphProto;
import dev.lsr.encoder.onnx.proto.ModelProto;
import dev.lsr.encoder.onnx.proto.NodeProto;
import dev.lsr.seismic.SparseVector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory with {@code query_body.onnx}: full-mode queries run it, documents and raw
 * reference queries do not. The query body here is the tiny model's body with its hidden states
 * doubled, so whichever body ran shows in the vectors.
 */
class QueryBodyTest {

    @TempDir
    Path tmp;

    private static final List<String> TEXTS = List.of("what is the capital of france", "protein folding kinetics");

    @Test
    void fullQueriesRunTheQueryBodyAndDocumentsDoNot() throws Exception {
        Path plain = TinyModel.importTo(tmp.resolve("plain"));
        Path withQb = tmp.resolve("with-query-body");
        ModelInfo info = importWithDoubledQueryBody(withQb);
        assertThat(info.hasQueryBody()).isTrue();
        assertThat(info.documentFiles()).doesNotContainKey(ModelInfo.QUERY_BODY).containsKey(ModelInfo.BODY);

        EncoderOptions o = EncoderOptions.defaults().withThreads(1);
        try (SparseEncoder a = SparseEncoder.open(plain, o); SparseEncoder b = SparseEncoder.open(withQb, o)) {
            assertThat(a.usesQueryBody()).isFalse();
            assertThat(b.usesQueryBody()).isTrue();
            SparseEncoder bRef = b.withOptions(o.withQueryBody(QueryBody.DOCUMENT));
            assertThat(bRef.usesQueryBody()).isFalse();
            for (String q : TEXTS) {
                SparseVector viaQueryBody = b.encodeQuery(q).vector();
                assertThat(viaQueryBody).as(q).isNotEqualTo(a.encodeQuery(q).vector());
                assertThat(bRef.encodeQuery(q).vector()).as(q).isEqualTo(a.encodeQuery(q).vector());
                // The logits evaluation caches for queries are the ones encodeQuery starts from.
                float[] m = b.queryMaxLogits(List.of(q))[0];
                assertThat(b.postprocessQuery(m)).isEqualTo(viaQueryBody);
            }
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(b.encodeDocuments(TEXTS).get(i).vector()).isEqualTo(a.encodeDocuments(TEXTS).get(i).vector());
            }
            assertThat(b.maxLogits(TEXTS)).isDeepEqualTo(a.maxLogits(TEXTS));
        }
    }

    /**
     * Documents run the query body when model.json's {@code document_body_dtype} names its dtype, or
     * when the options ask for {@link DocumentBody#QUANTISED}; {@link DocumentBody#BODY} always runs
     * body.onnx. The cache identity of document vectors follows the body they ran.
     */
    @Test
    void documentsRunTheQueryBodyWhenModelJsonOrTheOptionsSaySo() throws Exception {
        Path plain = TinyModel.importTo(tmp.resolve("plain"));
        Path dir = tmp.resolve("docs-on-query-body");
        ModelInfo added = importWithDoubledQueryBody(dir);
        assertThat(added.documentsUseQueryBody()).as("imported without document_body_dtype = q8").isFalse();
        ModelInfo info = withBodyDtypes(dir, added, added.bodyDtype(), "q8", "q8");
        assertThat(info.documentsUseQueryBody()).isTrue();
        assertThat(info.documentBodyDtypeOrBody()).isEqualTo("q8");
        assertThat(info.documentFiles()).containsKey(ModelInfo.QUERY_BODY).doesNotContainKey(ModelInfo.BODY);
        assertThat(info.documentFiles(false)).containsKey(ModelInfo.BODY).doesNotContainKey(ModelInfo.QUERY_BODY);

        EncoderOptions o = EncoderOptions.defaults().withThreads(1).withBatchSize(1);
        try (SparseEncoder a = SparseEncoder.open(plain, o); SparseEncoder b = SparseEncoder.open(dir, o)) {
            assertThat(b.usesQuantisedDocumentBody()).isTrue();
            assertThat(b.documentBodyDtype()).isEqualTo("q8");
            b.encodeDocuments(TEXTS);
            b.encodeQuery(TEXTS.get(0));
            assertThat(b.exactBodyLoaded()).as("documents and queries run the query body: body.onnx is never loaded").isFalse();
            assertThat(a.exactBodyLoaded()).as("a model without a q8 document body loads body.onnx at open").isTrue();
            SparseEncoder exact = b.withOptions(o.withDocumentBody(DocumentBody.BODY));
            assertThat(exact.usesQuantisedDocumentBody()).isFalse();
            assertThatThrownBy(() -> a.withOptions(o.withDocumentBody(DocumentBody.QUANTISED)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ModelInfo.QUERY_BODY);
            for (int i = 0; i < TEXTS.size(); i++) {
                SparseVector viaQueryBody = b.encodeDocuments(TEXTS).get(i).vector();
                assertThat(viaQueryBody).isNotEqualTo(a.encodeDocuments(TEXTS).get(i).vector());
                assertThat(b.withOptions(o.withTopK(o.queryTopK())).encodeDocuments(List.of(TEXTS.get(i))).get(0).vector())
                        .as("same body, same batch of one, same cap as a query").isEqualTo(b.encodeQuery(TEXTS.get(i)).vector());
                assertThat(exact.encodeDocuments(TEXTS).get(i).vector()).isEqualTo(a.encodeDocuments(TEXTS).get(i).vector());
            }
            assertThat(b.maxLogits(TEXTS)).isDeepEqualTo(b.queryMaxLogits(TEXTS));
            assertThat(exact.maxLogits(TEXTS)).isDeepEqualTo(a.maxLogits(TEXTS));
            assertThat(b.exactBodyLoaded()).as("loaded by the view that asked for it").isTrue();
        }
    }

    /**
     * {@link QueryBody#MODEL} answers queries with body.onnx where the q8 query body is the slower
     * one: an sq8 body.onnx on a CPU whose int8 products are computed in the unsigned or the 7-bit
     * form (x86 without VNNI). Every CPU form is forced through IntegerProducts' documented override, so the
     * test checks both choices on any machine; QUERY and DOCUMENT ignore the CPU.
     */
    @Test
    void modelChoiceRunsTheSq8BodyForQueriesWhereInt8LacksVnni() throws Exception {
        Path plain = TinyModel.importTo(tmp.resolve("plain"));
        Path dir = tmp.resolve("sq8-body");
        ModelInfo added = importWithDoubledQueryBody(dir);
        withBodyDtypes(dir, added, "sq8", "q8", added.documentBodyDtype());
        EncoderOptions o = EncoderOptions.defaults().withThreads(1);
        String q = TEXTS.get(0);
        try (SparseEncoder a = SparseEncoder.open(plain, o)) {
            SparseVector viaBody = a.encodeQuery(q).vector();
            for (IntegerProducts form : List.of(IntegerProducts.UNSIGNED_WEIGHTS, IntegerProducts.SEVEN_BIT_WEIGHTS,
                    IntegerProducts.SIGNED_WEIGHTS)) {
                Int8WeightsProperty.with(form, () -> {
                    try (SparseEncoder b = SparseEncoder.open(dir, o)) {
                        boolean vnniLike = form == IntegerProducts.SIGNED_WEIGHTS;
                        assertThat(b.usesQueryBody()).as(form.name()).isEqualTo(vnniLike);
                        assertThat(b.encodeQuery(q).vector().equals(viaBody)).as(form.name()).isEqualTo(!vnniLike);
                        assertThat(b.withOptions(o.withQueryBody(QueryBody.QUERY)).usesQueryBody()).as(form.name())
                                .isTrue();
                        assertThat(b.withOptions(o.withQueryBody(QueryBody.DOCUMENT)).encodeQuery(q).vector())
                                .as(form.name()).isEqualTo(viaBody);
                    }
                });
            }
        }
    }

    @Test
    void anAlteredQueryBodyIsRefusedNamingIt() throws Exception {
        Path dir = tmp.resolve("m");
        importWithDoubledQueryBody(dir);
        Files.write(dir.resolve(ModelInfo.QUERY_BODY), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> SparseEncoder.open(dir, EncoderOptions.defaults().withThreads(1)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(ModelInfo.QUERY_BODY).hasMessageContaining("altered");
    }

    /** The tiny model imported into {@code dir} with a query_body.onnx (its body, doubled) recorded in model.json. */
    private static ModelInfo importWithDoubledQueryBody(Path dir) throws Exception {
        TinyModel.importTo(dir);
        writeDoubledBody(dir.resolve(ModelInfo.BODY), dir.resolve(ModelInfo.QUERY_BODY));
        return ModelDirectory.addFile(dir, ModelInfo.QUERY_BODY);
    }

    /** Rewrites model.json with these body dtypes (the graphs stay what they are). */
    private static ModelInfo withBodyDtypes(Path dir, ModelInfo m, String body, String queryBody, String documentBody)
            throws Exception {
        ModelInfo changed = new ModelInfo(m.name(), m.formatVersion(), m.source(), m.vocabSize(), m.hiddenSize(),
                m.maxTokens(), m.lowerCase(), m.specialTokens(), m.activation(), m.pooling(), m.headDtype(),
                body, queryBody, documentBody, m.documentHead(), m.tokenizer(), m.inputs(), m.encoder(), m.files());
        return ModelDirectory.write(dir, changed, m.files().keySet());
    }

    /** The body graph with {@code Mul(hidden, 2)} appended to its output. */
    private static void writeDoubledBody(Path body, Path out) throws Exception {
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(body));
        GraphProto.Builder g = m.getGraph().toBuilder();
        String output = g.getOutput(0).getName();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (int k = 0; k < n.getOutputCount(); k++) {
                if (n.getOutput(k).equals(output)) {
                    g.setNode(i, n.toBuilder().setOutput(k, output + "_undoubled"));
                }
            }
        }
        g.addInitializer(GraphBuilder.floatTensor("query_body_test_two", new float[] {2f}));
        g.addNode(NodeProto.newBuilder().setOpType("Mul").setName("double_hidden")
                .addInput(output + "_undoubled").addInput("query_body_test_two").addOutput(output));
        Files.write(out, m.toBuilder().setGraph(g).build().toByteArray());
    }
}
