package dev.lsr.langchain4j;

import dev.lsr.client.IndexResult;
import java.util.List;

/** Some segments were refused (the others were written); {@link #failures()} says which and why. */
public final class LsrIngestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<IndexResult.Item> failures;

    LsrIngestException(String collection, int total, List<IndexResult.Item> failures) {
        super(failures.size() + " of " + total + " segments were not ingested into '" + collection + "'; the first: "
                + failures.getFirst().error());
        this.failures = List.copyOf(failures);
    }

    /** Position (in the ingested list), id and error of every refused segment. */
    public List<IndexResult.Item> failures() {
        return failures;
    }
}
