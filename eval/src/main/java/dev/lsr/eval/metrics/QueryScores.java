package dev.lsr.eval.metrics;

/**
 * The measures of one query, named as trec_eval names them: {@code ndcg_cut.10},
 * {@code recall.100}, {@code recall.1000}, {@code recip_rank} cut at rank 10, {@code map_cut.1000}.
 */
public record QueryScores(
        String queryId,
        double ndcg10,
        double recall100,
        double recall1000,
        double mrr10,
        double map1000,
        int retrieved,
        int relevant) {}
