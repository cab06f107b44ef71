package dev.lsr.client;

/**
 * When a write becomes visible and durable: {@code refresh} makes it searchable before the call
 * returns (otherwise within the collection's {@code refreshIntervalMs}), {@code commit} makes it
 * durable before the call returns.
 */
public record WriteOptions(boolean refresh, boolean commit) {

    /** Visible within the collection's refresh interval, durable at the next commit. */
    public static WriteOptions defaults() {
        return new WriteOptions(false, false);
    }

    /** Searchable when the call returns. */
    public static WriteOptions refreshed() {
        return new WriteOptions(true, false);
    }

    /** Searchable and durable when the call returns. */
    public static WriteOptions refreshedAndCommitted() {
        return new WriteOptions(true, true);
    }

    String query() {
        return "?refresh=" + refresh + "&commit=" + commit;
    }
}
