package dev.lsr.seismic.tune;

/**
 * One measured search setting on the tuning queries.
 *
 * @param queryCut   lists visited per query
 * @param heapFactor block skip factor
 * @param rerank     sketch-scored candidates rescored exactly ({@code SearchParams.rerank}: 0 = automatic)
 * @param recall     recall@k against exact search on the tuning queries
 * @param meanUs     mean single-thread latency (microseconds)
 * @param p50Us      median single-thread latency (microseconds)
 * @param docsScored mean documents scored per query
 */
public record TunePoint(int queryCut, float heapFactor, int rerank, double recall, double meanUs, double p50Us, double docsScored) {}
