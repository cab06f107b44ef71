package dev.lsr.eval.metrics;

/** One retrieved document of a run: its id and the score the system gave it. */
public record ScoredDoc(String docId, double score) {}
