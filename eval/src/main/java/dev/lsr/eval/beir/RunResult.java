package dev.lsr.eval.beir;

import dev.lsr.eval.metrics.Evaluation;
import dev.lsr.eval.metrics.ScoredDoc;
import dev.lsr.eval.report.Latencies;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one {@link RunSpec}: the run itself, its measures, search latencies, and for
 * approximate search the mean overlap of its top 10 with exact search's top 10.
 */
public record RunResult(
        RunSpec spec,
        Map<String, List<ScoredDoc>> run,
        Evaluation evaluation,
        Latencies latencies,
        Double recallVsExact10) {}
