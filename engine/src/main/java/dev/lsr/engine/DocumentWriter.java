package dev.lsr.engine;

import dev.lsr.encoder.DocumentPipeline;
import dev.lsr.encoder.EncodedBatch;
import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.LogitBatch;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.TokenizedDocuments;
import dev.lsr.index.Collection;
import dev.lsr.index.Document;
import dev.lsr.index.IndexException;
import dev.lsr.index.InvalidDocumentException;
import dev.lsr.seismic.SparseVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * How documents get into a collection's index: a batch is checked (each refusal its own item) with
 * the texts to encode being tokenised, then encoded with the document encoder of the moment and
 * upserted. Keeps nothing between batches; {@link EngineCollection} decides which encoder and
 * whether the logits are kept for its centring fit.
 */
final class DocumentWriter {

    private final Collection index;
    /** Null for a collection without a model. */
    private final SparseEncoder model;

    DocumentWriter(Collection index, SparseEncoder model) {
        this.index = index;
        this.model = model;
    }

    /**
     * A batch checked, with the texts to encode being tokenised: on {@code pipeline}'s helper thread
     * from now on, or (null) here and now. Tokens are the model's whatever its options, so they stay
     * valid when the centring fit changes the document encoder before the batch is written.
     */
    Prepared prepare(List<Document> docs, DocumentPipeline pipeline) {
        List<Document> batch = new ArrayList<>(docs);
        AddResult.Item[] items = new AddResult.Item[batch.size()];
        List<Integer> toEncode = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Document d = batch.get(i);
            if (d == null) {
                items[i] = new AddResult.Item(i, null, AddResult.Item.FAILED, "document #" + i + " is null");
            } else if (d.vector() == null) {
                String passage = passage(d);
                if (passage == null) {
                    items[i] = failed(i, d, "give 'text' (or 'title') to encode, or a 'vector'");
                } else if (model == null) {
                    items[i] = failed(i, d, "the collection has no model, so the document needs a 'vector'");
                } else {
                    toEncode.add(i);
                    texts.add(passage);
                }
            }
        }
        Supplier<TokenizedDocuments> tokens;
        if (texts.isEmpty()) {
            tokens = null;
        } else if (pipeline == null) {
            TokenizedDocuments t = model.tokenizeDocuments(texts);
            tokens = () -> t;
        } else {
            DocumentPipeline.Pending pending = pipeline.submit(texts);
            tokens = () -> pipeline.tokens(pending);
        }
        return new Prepared(batch, items, toEncode, tokens);
    }

    /**
     * A checked batch: {@code items} holds the documents already refused, {@code toEncode} the
     * positions whose texts {@code tokens} gives (null when none).
     */
    record Prepared(List<Document> docs, AddResult.Item[] items, List<Integer> toEncode, Supplier<TokenizedDocuments> tokens) {}


    /** A written batch: its result, and for the documents encoded and indexed their ids, max logits and input form (kept logits only). */
    record Written(AddResult result, List<String> encodedIds, List<float[]> logits, List<Document> encodedDocs) {}

    /**
     * Encodes the prepared batch's texts with {@code encoder} (keeping their max logits when
     * {@code keepLogits}, for a centring fit to come) and upserts what is ready; a document the
     * index refuses fails alone. {@code progress} hears how many documents each model run finished.
     */
    Written write(Prepared prepared, SparseEncoder encoder, boolean keepLogits, IntConsumer progress) {
        List<Document> docs = prepared.docs();
        AddResult.Item[] items = prepared.items().clone();
        List<Integer> toEncode = prepared.toEncode();
        Document[] ready = docs.toArray(new Document[0]);
        boolean[] cut = new boolean[docs.size()];
        List<float[]> logits = new ArrayList<>();
        long encodeMicros = 0;
        long modelTokens = 0;
        long paddingTokens = 0;
        if (!toEncode.isEmpty()) {
            long t0 = System.nanoTime();
            SparseEncoder enc = encoder;
            TokenizedDocuments tokens = prepared.tokens().get();
            for (int j = 0; j < toEncode.size(); j++) {
                cut[toEncode.get(j)] = tokens.truncated(j);
            }
            if (keepLogits) {
                LogitBatch run = enc.maxLogitBatch(tokens, progress);
                float[][] m = run.rows();
                for (int j = 0; j < toEncode.size(); j++) {
                    Document d = ready[toEncode.get(j)];
                    ready[toEncode.get(j)] = withVector(d, enc.postprocess(m[j]));
                    logits.add(m[j]);
                }
                modelTokens = run.tokens();
                paddingTokens = run.paddingTokens();
            } else {
                EncodedBatch run = enc.encodeDocumentBatch(tokens, progress);
                List<EncodedText> encoded = run.documents();
                for (int j = 0; j < toEncode.size(); j++) {
                    Document d = ready[toEncode.get(j)];
                    ready[toEncode.get(j)] = withVector(d, encoded.get(j).vector());
                }
                modelTokens = run.tokens();
                paddingTokens = run.paddingTokens();
            }
            encodeMicros = (System.nanoTime() - t0) / 1000;
        }
        List<Integer> readyAt = new ArrayList<>();
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < ready.length; i++) {
            if (items[i] == null) {
                readyAt.add(i);
                batch.add(ready[i]);
            }
        }
        if (!batch.isEmpty()) {
            try {
                index.upsert(batch);
                for (int i : readyAt) {
                    items[i] = new AddResult.Item(i, ready[i].id(), AddResult.Item.INDEXED, null, cut[i]);
                }
            } catch (InvalidDocumentException batchError) {
                // The index validates a batch as a whole; find which documents it refuses one by one.
                for (int i : readyAt) {
                    try {
                        index.upsert(List.of(ready[i]));
                        items[i] = new AddResult.Item(i, ready[i].id(), AddResult.Item.INDEXED, null, cut[i]);
                    } catch (InvalidDocumentException e) {
                        items[i] = new AddResult.Item(i, ready[i].id(), AddResult.Item.FAILED, e.getMessage());
                    }
                }
            }
        }
        List<String> encodedIds = new ArrayList<>();
        List<float[]> encodedLogits = new ArrayList<>();
        List<Document> encodedDocs = new ArrayList<>();
        for (int j = 0; j < toEncode.size() && keepLogits; j++) {
            int i = toEncode.get(j);
            if (items[i].status().equals(AddResult.Item.INDEXED) && logits.get(j) != null) {
                encodedIds.add(ready[i].id());
                encodedLogits.add(logits.get(j));
                encodedDocs.add(docs.get(i));
            }
        }
        int indexed = (int) Arrays.stream(items).filter(it -> it.status().equals(AddResult.Item.INDEXED)).count();
        return new Written(new AddResult(indexed, items.length - indexed, List.of(items), encodeMicros, modelTokens, paddingTokens),
                encodedIds, encodedLogits, encodedDocs);
    }

    static Document withVector(Document d, SparseVector v) {
        try {
            return new Document(d.id(), d.title(), d.text(), d.metadata(), v);
        } catch (IndexException | IllegalArgumentException e) {
            throw new InvalidDocumentException("document '" + d.id() + "': " + e.getMessage(), e);
        }
    }

    static AddResult.Item failed(int i, Document d, String why) {
        return new AddResult.Item(i, d.id(), AddResult.Item.FAILED, "document '" + d.id() + "': " + why);
    }

    /** Title and text as one passage, the way retrieval models read a document; null when both are blank. */
    static String passage(Document d) {
        boolean hasTitle = d.title() != null && !d.title().isBlank();
        boolean hasText = d.text() != null && !d.text().isBlank();
        if (hasTitle && hasText) {
            return d.title() + " " + d.text();
        }
        return hasTitle ? d.title() : hasText ? d.text() : null;
    }
}
