package dev.lsr.eval.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** Per-query measures and their arithmetic means over the evaluated queries. */
public record Evaluation(List<QueryScores> perQuery) {

    public Evaluation {
        perQuery = List.copyOf(perQuery);
    }

    public double ndcg10() {
        return mean(QueryScores::ndcg10);
    }

    public double recall100() {
        return mean(QueryScores::recall100);
    }

    public double recall1000() {
        return mean(QueryScores::recall1000);
    }

    public double mrr10() {
        return mean(QueryScores::mrr10);
    }

    public double map1000() {
        return mean(QueryScores::map1000);
    }

    public int queries() {
        return perQuery.size();
    }

    private double mean(ToDoubleFunction<QueryScores> f) {
        if (perQuery.isEmpty()) {
            return 0.0;
        }
        double s = 0;
        for (QueryScores q : perQuery) {
            s += f.applyAsDouble(q);
        }
        return s / perQuery.size();
    }
}
