package dev.lsr.index.search;

import dev.lsr.index.TermContribution;
import dev.lsr.seismic.SparseVector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Per-term breakdown of a sparse score. */
public final class Explanations {

    private Explanations() {}

    /** Contributions of the terms query and document share, largest first (ties: lower term id). */
    public static List<TermContribution> contributions(SparseVector query, SparseVector doc) {
        List<TermContribution> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < query.size() && j < doc.size()) {
            int a = query.index(i);
            int b = doc.index(j);
            if (a == b) {
                float q = query.value(i++);
                float d = doc.value(j++);
                out.add(new TermContribution(a, q, d, q * d));
            } else if (a < b) {
                i++;
            } else {
                j++;
            }
        }
        out.sort(Comparator.comparingDouble((TermContribution t) -> -t.contribution())
                .thenComparingInt(TermContribution::termId));
        return out;
    }
}
