package dev.lsr.client;

import java.util.List;

/**
 * What adding documents did, one item per document sent (for a background job: the items that
 * failed, as the job kept them).
 *
 * @param jobId the background job's id when the batch was larger than the server's
 *     {@code lsr.limits.async-batch} (the client waited for it), else null
 */
public record IndexResult(int indexed, int failed, List<Item> items, String jobId) {

    public IndexResult {
        items = items == null ? List.of() : items;
    }

    /** {@code status} is {@code indexed} or {@code failed}; {@code error} says why a document failed. */
    public record Item(int position, String id, String status, String error) {}
}
