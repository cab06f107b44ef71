package dev.lsr.eval.beir;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One evaluated setting: a search mode, the query mode that produced its query vectors (none for
 * bm25), and the search parameters passed to the collection.
 */
public record RunSpec(String mode, String queryMode, Map<String, Object> params) {

    public static final String APPROXIMATE = "approximate";
    public static final String EXACT = "exact";
    public static final String BM25 = "bm25";
    public static final String HYBRID = "hybrid";

    public RunSpec {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public boolean usesVectors() {
        return !mode.equals(BM25);
    }

    /** Parameters as reported: the search parameters plus the query mode when vectors are used. */
    public Map<String, Object> reportParams() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (usesVectors()) {
            m.put("query_mode", queryMode);
        }
        m.putAll(params);
        return m;
    }

    /** A short unique tag, used in the comparison table and as the TREC run tag. */
    public String label() {
        String p = reportParams().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        return p.isEmpty() ? mode : mode + "[" + p + "]";
    }

    /** The label made safe for a file name. */
    public String fileTag() {
        return label().replaceAll("[^A-Za-z0-9._=-]+", "_").replaceAll("_+$", "");
    }
}
