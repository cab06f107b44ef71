package dev.lsr.engine;

/**
 * A collection's centring as callers see it.
 *
 * @param status {@code off}, {@code model} (the model directory's own term_offsets.bin),
 *     {@code pending} (encoding without centring until enough documents are in) or {@code fitted}
 * @param percentile the per-term percentile of the max logits subtracted; null when off
 * @param documents pending: documents encoded so far; fitted: documents the offsets were fitted on
 */
public record CentringInfo(String status, Double percentile, int documents) {}
