package dev.lsr.encoder;

import dev.lsr.encoder.model.ModelInfo;

/**
 * How vectors are made from the model's per-term max logits {@code m_v}. Document weight:
 * {@code w_v = log1p(relu(m_v - offset_v))} (offset 0 without centring), kept when
 * {@code w_v >= threshold} and the term is not masked, then capped to the {@code topK} largest.
 * {@code raw} bypasses all of it: {@code log1p(relu(m_v))} over every vocabulary entry.
 *
 * @param raw the model's own output: no centring, masking, threshold or cap
 * @param topK cap on document terms (0 = none)
 * @param threshold minimum kept weight (after log1p)
 * @param centring subtract per-term offsets ({@code termOffsets}, else the model's term_offsets.bin if present)
 * @param termOffsets explicit per-term offsets {@code [vocab]}, or null
 * @param queryCentring apply the offsets to queries too (they are fitted on documents)
 * @param queryTopK cap on query terms (0 = none)
 * @param maskSpecial drop special vocabulary entries ([CLS], [SEP], [PAD], [MASK], [UNK], [unused*])
 * @param maskPunctuation drop entries made only of punctuation or symbols
 * @param queryMode full model or inference-free table
 * @param queryWeights the inference-free table; null = the model's query_weights.json
 * @param threads ONNX Runtime intra-op threads and fused-head threads
 * @param batchSize documents per model run (sorted by length into buckets)
 * @param queryBody which body full-mode queries run: the faster on this CPU ({@link QueryBody#MODEL}:
 *     the model's q8 query body when it has one, except without VNNI when body.onnx is the sq8
 *     body), the query body, or {@code body.onnx}
 * @param documentBody which body documents run: the model's choice (model.json's
 *     {@code document_body_dtype}), {@code body.onnx}, or the quantised {@code query_body.onnx}
 * @param documentHead how documents run the head: the model's choice (model.json's
 *     {@code document_head}), the fused Java kernel, or the int8 ONNX Runtime graph
 * @param documentWorkers document batches run at once ({@value #AUTO_WORKERS} = one per thread),
 *     each through body, head and pruning on its own thread with {@code threads / workers}
 *     ONNX Runtime threads; 1 = one batch at a time on all threads (see {@link #effectiveDocumentWorkers()})
 * @param batchTokens cap on the slots (texts times their padded length) of one document batch, 0 =
 *     none: long texts run fewer to a batch ({@link LengthBuckets#plan(int[], int, int)})
 */
public record EncoderOptions(
        boolean raw,
        int topK,
        float threshold,
        boolean centring,
        float[] termOffsets,
        boolean queryCentring,
        int queryTopK,
        boolean maskSpecial,
        boolean maskPunctuation,
        QueryMode queryMode,
        QueryWeights queryWeights,
        int threads,
        int batchSize,
        QueryBody queryBody,
        DocumentBody documentBody,
        DocumentHead documentHead,
        int documentWorkers,
        int batchTokens) {

    public EncoderOptions {
        if (topK < 0 || queryTopK < 0 || threads < 1 || batchSize < 1 || documentWorkers < 0 || batchTokens < 0) {
            throw new IllegalArgumentException("topK, queryTopK, documentWorkers, batchTokens must be >= 0 and threads, batchSize >= 1");
        }
        if (queryBody == null) {
            throw new IllegalArgumentException("queryBody must not be null (QueryBody.MODEL for the faster on this CPU)");
        }
        if (documentBody == null) {
            throw new IllegalArgumentException("documentBody must not be null (DocumentBody.MODEL for the model's choice)");
        }
        if (documentHead == null) {
            throw new IllegalArgumentException("documentHead must not be null (DocumentHead.MODEL for the model's choice)");
        }
    }

    /**
     * Slots per document batch by default: with workers, batches of 2 at 512 tokens and 4 at 256 ran
     * faster than 8 (encoder/README.md, "Issue 18, fifth pass"); under 128 tokens batchSize decides.
     */
    public static final int DEFAULT_BATCH_TOKENS = 1024;

    /** {@link #documentWorkers()} meaning one worker per thread. */
    public static final int AUTO_WORKERS = 0;

    /** Defaults: top 256 document terms and 64 query terms, centring when the model has offsets, special and punctuation masked, full queries. */
    public static EncoderOptions defaults() {
        return new EncoderOptions(false, 256, 0f, true, null, false, 64, true, true, QueryMode.FULL, null,
                Runtime.getRuntime().availableProcessors(), 8, QueryBody.MODEL, DocumentBody.MODEL, DocumentHead.MODEL, AUTO_WORKERS, DEFAULT_BATCH_TOKENS);
    }

    /**
     * Defaults taken from what model.json recorded at import ({@link ModelInfo#defaults()}). Queries
     * are inference-free when the model recommends it and carries its query_weights.json; otherwise
     * full (callers with corpus statistics, like the api's collections, build the IDF table themselves).
     */
    public static EncoderOptions defaults(ModelInfo info) {
        ModelInfo.Defaults d = info.defaults();
        EncoderOptions o = defaults().withTopK(d.topK()).withThreshold(d.threshold()).withCentring(d.centring())
                .withMasking(d.maskSpecial(), d.maskPunctuation());
        if (d.queryTopK() != null) {
            o = o.withQueryTopK(d.queryTopK());
        }
        if (ModelInfo.Defaults.INFERENCE_FREE.equals(d.queryMode()) && info.files() != null
                && info.files().containsKey(ModelInfo.QUERY_WEIGHTS)) {
            o = o.withQueryMode(QueryMode.INFERENCE_FREE);
        }
        return o;
    }

    public EncoderOptions withRaw(boolean v) {
        return new EncoderOptions(v, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withTopK(int v) {
        return new EncoderOptions(raw, v, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withThreshold(float v) {
        return new EncoderOptions(raw, topK, v, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withCentring(boolean v) {
        return new EncoderOptions(raw, topK, threshold, v, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    /** Explicit per-term offsets (turns centring on). */
    public EncoderOptions withTermOffsets(float[] v) {
        return new EncoderOptions(raw, topK, threshold, true, v.clone(), queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withQueryCentring(boolean v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, v, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withQueryTopK(int v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, v, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withMasking(boolean special, boolean punctuation) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, special, punctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withQueryMode(QueryMode v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, v, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    /** An inference-free table (also selects {@link QueryMode#INFERENCE_FREE}). */
    public EncoderOptions withQueryWeights(QueryWeights v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, QueryMode.INFERENCE_FREE, v, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withThreads(int v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, v, batchSize, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    public EncoderOptions withBatchSize(int v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, v, queryBody, documentBody, documentHead, documentWorkers, batchTokens);
    }

    /** Which body full-mode queries run. */
    public EncoderOptions withQueryBody(QueryBody v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, v, documentBody, documentHead, documentWorkers, batchTokens);
    }

    /** Which body documents run ({@link DocumentBody#MODEL}: the model's choice). */
    public EncoderOptions withDocumentBody(DocumentBody v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, v, documentHead, documentWorkers, batchTokens);
    }

    /** How documents run the head ({@link DocumentHead#MODEL}: the model's choice). */
    public EncoderOptions withDocumentHead(DocumentHead v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, v, documentWorkers, batchTokens);
    }

    /**
     * Document batches run at once ({@link #AUTO_WORKERS}: one per thread). Several workers replace
     * intra-op parallelism with data parallelism: each batch runs body, head and pruning on one
     * worker with {@code threads / workers} threads, the vectors identical in input order.
     */
    public EncoderOptions withDocumentWorkers(int v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, v, batchTokens);
    }

    /** The workers documents run on: {@link #documentWorkers()}, or {@link #threads()} for {@link #AUTO_WORKERS}, at most {@link #threads()}. */
    public int effectiveDocumentWorkers() {
        return documentWorkers == AUTO_WORKERS ? threads : Math.min(documentWorkers, threads);
    }

    /** ONNX Runtime and fused-head threads each document worker runs with: {@code threads / workers}, at least 1. */
    public int threadsPerDocumentWorker() {
        return Math.max(1, threads / effectiveDocumentWorkers());
    }

    /** Cap on the slots of one document batch (0 = none; {@link #DEFAULT_BATCH_TOKENS} by default). */
    public EncoderOptions withBatchTokens(int v) {
        return new EncoderOptions(raw, topK, threshold, centring, termOffsets, queryCentring, queryTopK, maskSpecial, maskPunctuation, queryMode, queryWeights, threads, batchSize, queryBody, documentBody, documentHead, documentWorkers, v);
    }
}
