package dev.lsr.seismic.build;

/** Receives build progress; called from build threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface BuildProgress {
    BuildProgress NONE = (phase, done, total) -> {};

    /** {@code done} of {@code total} units of {@code phase} are finished. */
    void update(String phase, long done, long total);
}
