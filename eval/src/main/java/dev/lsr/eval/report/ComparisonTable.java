package dev.lsr.eval.report;

import java.io.PrintStream;
import java.util.List;

/** A fixed-width comparison table of several runs, printed to stderr by {@code lsr beir}. */
public final class ComparisonTable {

    /** One row: a label and its numbers ({@code recallVsExact} may be null). */
    public record Row(String label, double ndcg10, double recall100, double recall1000, double mrr10,
            double map1000, Double recallVsExact, double p50us, double p99us) {}

    private ComparisonTable() {}

    public static void print(PrintStream out, List<Row> rows) {
        int w = "setting".length();
        for (Row r : rows) {
            w = Math.max(w, r.label().length());
        }
        String head = String.format("%-" + w + "s  %7s  %7s  %7s  %7s  %7s  %8s  %9s  %9s",
                "setting", "nDCG@10", "R@100", "R@1000", "MRR@10", "MAP", "vsExact", "p50 us", "p99 us");
        out.println(head);
        out.println("-".repeat(head.length()));
        for (Row r : rows) {
            out.println(String.format("%-" + w + "s  %7.4f  %7.4f  %7.4f  %7.4f  %7.4f  %8s  %9.1f  %9.1f",
                    r.label(), r.ndcg10(), r.recall100(), r.recall1000(), r.mrr10(), r.map1000(),
                    r.recallVsExact() == null ? "-" : String.format("%.4f", r.recallVsExact()), r.p50us(), r.p99us()));
        }
    }
}
