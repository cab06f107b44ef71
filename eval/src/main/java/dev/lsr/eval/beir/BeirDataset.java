package dev.lsr.eval.beir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded and validated BEIR split.
 *
 * @param queries query id -> text, only the queries judged in this split's qrels, in file order
 * @param qrels query id -> document id -> judgement
 * @param corpusChecksum SHA-256 of the corpus file's bytes, part of the encoding cache key
 * @param warnings problems that did not stop the run (each reported on stderr and in the report)
 */
public record BeirDataset(
        String name,
        String split,
        Path corpusFile,
        String corpusChecksum,
        List<BeirDocument> corpus,
        Map<String, String> queries,
        Map<String, Map<String, Integer>> qrels,
        List<String> warnings) {}
