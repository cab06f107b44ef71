package dev.lsr.springai;

import dev.lsr.client.IndexResult;
import java.util.List;

/** Some documents were refused (the others were written); {@link #failures()} says which and why. */
public final class LsrWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<IndexResult.Item> failures;

    LsrWriteException(String collection, int total, List<IndexResult.Item> failures) {
        super(failures.size() + " of " + total + " documents were not written into '" + collection + "'; the first: "
                + failures.getFirst().id() + ": " + failures.getFirst().error());
        this.failures = List.copyOf(failures);
    }

    /** Position (in the written list), id and error of every refused document. */
    public List<IndexResult.Item> failures() {
        return failures;
    }
}
