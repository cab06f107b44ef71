package dev.lsr.encoder.model;

/** Progress of a long import, for a progress bar; called from the importing thread. */
@FunctionalInterface
public interface ImportProgress {
    /** @param step what is being done; {@code done} of {@code total} units (bytes or steps) */
    void update(String step, long done, long total);

    ImportProgress NONE = (step, done, total) -> { };
}
