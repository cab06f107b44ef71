package dev.lsr.encoder;

/**
 * Max logits of documents run together ({@link SparseEncoder#maxLogitBatch}), with what batching
 * cost, as {@link EncodedBatch} reports it for encoded documents.
 *
 * @param rows per text, its max logits before ReLU, centring or pruning; null for a blank text
 * @param tokens real model tokens run ([CLS]/[SEP] included)
 * @param paddingTokens padding slots run beside them
 */
public record LogitBatch(float[][] rows, long tokens, long paddingTokens) {}
