package dev.lsr.engine;

import dev.lsr.index.SearchMode;
import java.util.List;
import java.util.Map;

/**
 * Hits best first, and how the search was run.
 *
 * @param mode the mode that ran (the query's, or the collection's recommended one)
 * @param queryEncoder how the query text was encoded; null when no text was encoded (a given
 *     vector, or bm25)
 * @param query the query as searched (its pieces and terms, heaviest first); null unless explain was asked
 * @param encodeMicros time spent encoding the query text
 * @param searchMicros time spent in the index (both passes with PRF)
 */
public record SearchResult(List<Hit> hits, SearchMode mode, QueryEncoder queryEncoder, QueryView query,
        long encodeMicros, long searchMicros) {

    public SearchResult {
        hits = List.copyOf(hits);
    }

    /**
     * One hit.
     *
     * @param explanation the shared terms' parts of the sparse score, largest first; null unless asked
     */
    public record Hit(String id, float score, String title, String text, Map<String, Object> metadata,
            List<TermScore> explanation) {}

    /**
     * A shared term's part of a hit's score, {@code contribution = queryWeight * documentWeight}.
     *
     * @param token the term in the model's vocabulary; null when the collection has no model
     */
    public record TermScore(String token, int termId, float queryWeight, float documentWeight, float contribution) {}

    /**
     * @param tokens the query text's word pieces; null when a vector was given
     * @param truncated whether the text was cut at the model's max tokens; null when a vector was given
     */
    public record QueryView(List<String> tokens, List<QueryTerm> terms, Boolean truncated) {}

    /** @param expansion whether the model added the term (it is not a piece of the text); null when unknown */
    public record QueryTerm(String token, int termId, float weight, Boolean expansion) {}
}
