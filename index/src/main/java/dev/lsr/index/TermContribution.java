package dev.lsr.index;

/** One shared term's part of a sparse score: {@code contribution = queryWeight * documentWeight}. */
public record TermContribution(int termId, float queryWeight, float documentWeight, float contribution) {}
