package dev.lsr.eval.index;

import dev.lsr.eval.report.Latencies;
import dev.lsr.index.Collection;

/**
 * {@code lsr index --refresh-every N}: a refresh after every N documents written (0: only the final
 * one), each timed for the report.
 */
public final class RefreshPolicy {

    private final int every;
    private final Latencies latencies = new Latencies(64);
    private long sinceRefresh;

    public RefreshPolicy(int every) {
        this.every = every;
    }

    /** Counts {@code docs} more written, refreshing when N have come since the last refresh. */
    public void added(long docs, Collection c) {
        sinceRefresh += docs;
        if (every > 0 && sinceRefresh >= every) {
            refresh(c);
        }
    }

    /** Refreshes now (the final refresh), timed like the others. */
    public void refresh(Collection c) {
        long t = System.nanoTime();
        c.refresh();
        latencies.add(System.nanoTime() - t);
        sinceRefresh = 0;
    }

    public Latencies latencies() {
        return latencies;
    }
}
