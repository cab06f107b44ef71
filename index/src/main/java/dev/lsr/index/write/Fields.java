package dev.lsr.index.write;

/** Lucene field names of a collection's documents. */
public final class Fields {
    public static final String ID = "id";
    /** The id again as a doc value: hits that need only their id skip the stored fields. */
    public static final String ID_VALUES = "_id";
    public static final String TITLE = "title";
    public static final String TEXT = "text";
    /** The metadata object as stored JSON, for a faithful round trip. */
    public static final String METADATA = "_metadata";
    public static final String VECTOR = dev.lsr.index.codec.SparseVectorsFormat.DEFAULT_FIELD;
    private static final String KEYWORD_PREFIX = "m.";
    private static final String NUMERIC_PREFIX = "n.";

    private Fields() {}

    /** Field holding a metadata key's string and boolean values. */
    public static String keyword(String key) {
        return KEYWORD_PREFIX + key;
    }

    /** Field holding a metadata key's numeric values (as doubles: points + doc values). */
    public static String numeric(String key) {
        return NUMERIC_PREFIX + key;
    }
}
