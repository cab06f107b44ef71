package dev.lsr.encoder;

import java.util.List;

/**
 * Documents encoded together, with what batching cost.
 *
 * @param documents one per input text, in input order
 * @param tokens real model tokens run ([CLS]/[SEP] included)
 * @param paddingTokens padding slots run beside them (each batch is as long as its longest text)
 * @param truncated how many texts were cut at the model's max tokens ({@link EncodedText#truncated()} says which)
 */
public record EncodedBatch(List<EncodedText> documents, long tokens, long paddingTokens, int truncated) {

    public EncodedBatch {
        documents = List.copyOf(documents);
    }

    /** Padding slots over all slots run (0 when nothing ran). */
    public double paddingFraction() {
        long all = tokens + paddingTokens;
        return all == 0 ? 0 : (double) paddingTokens / all;
    }
}
