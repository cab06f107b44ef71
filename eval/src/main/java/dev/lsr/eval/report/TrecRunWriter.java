package dev.lsr.eval.report;

import dev.lsr.eval.metrics.ScoredDoc;
import dev.lsr.eval.metrics.TrecEval;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a run in TREC format, {@code qid Q0 docno rank score tag}, in trec_eval's own order
 * (score descending, docno descending on ties) so ranks agree with what trec_eval computes.
 * Scores are written with enough digits to round-trip a float, so trec_eval sees the same ties.
 */
public final class TrecRunWriter {

    private TrecRunWriter() {}

    public static void write(Path file, Map<String, List<ScoredDoc>> run, String tag) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, List<ScoredDoc>> e : run.entrySet()) {
                    List<ScoredDoc> docs = new ArrayList<>(e.getValue());
                    docs.sort(TrecEval.TREC_ORDER);
                    int rank = 1;
                    for (ScoredDoc d : docs) {
                        w.write(e.getKey() + " Q0 " + d.docId() + " " + rank++ + " " + (float) d.score() + " " + tag);
                        w.newLine();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run file " + file + ": " + e.getMessage(), e);
        }
    }
}
