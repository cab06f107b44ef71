package dev.lsr.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The query as the server searched it (only with {@code explain}): its word pieces and its vector's
 * terms, heaviest first.
 *
 * @param tokens word pieces of the query text; null when a vector was given
 * @param terms the query vector's terms
 * @param truncated whether the text was cut at the model's maximum length; null when a vector was given
 * @param encoder {@code full} or {@code inference-free}; null when a vector was given
 */
public record QueryInfo(List<String> tokens, List<Term> terms, Boolean truncated, String encoder) {

    /** A query term; {@code expansion} marks terms the model added that are not pieces of the text. */
    public record Term(String token, @JsonProperty("term_id") int termId, float weight, Boolean expansion) {}
}
