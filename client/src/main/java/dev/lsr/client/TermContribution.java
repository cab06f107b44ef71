package dev.lsr.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A term shared by the query and a hit: {@code contribution = queryWeight * documentWeight}; token null without a vocabulary. */
public record TermContribution(String token, @JsonProperty("term_id") int termId, @JsonProperty("query_weight") float queryWeight,
        @JsonProperty("document_weight") float documentWeight, float contribution) {}
