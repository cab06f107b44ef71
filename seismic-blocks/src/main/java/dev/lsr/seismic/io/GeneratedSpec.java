package dev.lsr.seismic.io;

/**
 * A generated source's spec, {@code kind:N[:seed]}, parsed without generating anything (a realistic
 * collection reads ~1 GB when built): what {@link SyntheticCollection#parse} and
 * {@link RealisticCollection#parse} read, and what {@link #checkQueriesBelong} compares.
 */
public record GeneratedSpec(String kind, int size, long seed) {

    /**
     * Parses {@code spec} as {@code kind:N[:seed]}; the exception's message names what is wrong.
     *
     * @param defaultSeed the seed when the spec gives none
     */
    static GeneratedSpec parse(String spec, String kind, long defaultSeed) {
        if (spec == null || !spec.startsWith(kind + ":")) {
            throw new IllegalArgumentException("not a " + kind + " source (expected " + kind + ":N[:seed]): " + spec);
        }
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("expected " + kind + ":N[:seed], got " + spec);
        }
        int n;
        long s;
        try {
            n = Integer.parseInt(parts[1].replace("_", ""));
            s = parts.length == 3 ? Long.parseLong(parts[2]) : defaultSeed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + kind + ":N[:seed] with integers, got " + spec, e);
        }
        if (n < 0) {
            throw new IllegalArgumentException(kind + " size must be >= 0 in " + spec);
        }
        return new GeneratedSpec(kind, n, s);
    }

    /** The spec of a synthetic or realistic source. */
    public static GeneratedSpec of(String spec) {
        return RealisticCollection.isSpec(spec) ? parse(spec, "realistic", RealisticCollection.DEFAULT_SEED)
                : parse(spec, "synthetic", SyntheticCollection.DEFAULT_SEED);
    }

    /**
     * Queries generated for documents must come from the same collection: the same generator and
     * the same seed. A synthetic seed sets the vocabulary's ranks and the topics, a realistic one
     * the split of the real vectors into document parts and held-out queries, and the two
     * generators number terms differently; queries of the documents' own seed are already a
     * stream apart from the documents. Does nothing unless both are generated sources.
     *
     * @throws IllegalArgumentException saying why the queries do not belong with the documents
     */
    public static void checkQueriesBelong(String docs, String queries) {
        if (!GeneratedCollection.isSpec(docs) || !GeneratedCollection.isSpec(queries)) {
            return;
        }
        GeneratedSpec d = of(docs);
        GeneratedSpec q = of(queries);
        if (!d.kind.equals(q.kind)) {
            throw new IllegalArgumentException("queries " + queries + " do not belong with documents " + docs
                    + ": the " + q.kind + " and " + d.kind + " generators number terms differently");
        }
        if (d.seed != q.seed) {
            throw new IllegalArgumentException("queries " + queries + " do not belong with documents " + docs + ": the seed sets "
                    + (d.kind.equals("synthetic") ? "the vocabulary and topics" : "which real vectors are held out as queries")
                    + ", so these queries come from another collection; queries of the documents' seed are already a stream"
                    + " of their own (" + q.kind + ":" + q.size + ":" + d.seed + ")");
        }
    }
}
