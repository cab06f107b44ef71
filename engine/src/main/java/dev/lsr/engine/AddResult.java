package dev.lsr.engine;

import java.util.List;

/**
 * What became of a batch of documents, one item per document in the order given: one bad document
 * fails alone, never the batch.
 *
 * @param encodeMicros time the model took to encode the batch's texts (0 when all came with vectors)
 * @param modelTokens real tokens the model ran on the batch's texts
 * @param paddingTokens padding slots the model ran beside them (each model run is as long as its longest text)
 */
public record AddResult(int indexed, int failed, List<Item> items, long encodeMicros, long modelTokens, long paddingTokens) {

    public AddResult {
        items = List.copyOf(items);
    }

    public AddResult(int indexed, int failed, List<Item> items, long encodeMicros) {
        this(indexed, failed, items, encodeMicros, 0, 0);
    }

    /**
     * @param position the document's place in the batch (0-based)
     * @param error why it failed, naming the document and field; null when indexed
     * @param truncated whether its text was cut at the model's max tokens before encoding
     */
    public record Item(int position, String id, String status, String error, boolean truncated) {
        public static final String INDEXED = "indexed";
        public static final String FAILED = "failed";

        public Item(int position, String id, String status, String error) {
            this(position, id, status, error, false);
        }
    }

    /** Indexed documents whose text was cut at the model's max tokens. */
    public int truncated() {
        return (int) items.stream().filter(i -> i.truncated() && Item.INDEXED.equals(i.status())).count();
    }
}
