package dev.lsr.eval.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval measures computed the way trec_eval 9.x computes them, so that our numbers can be
 * compared with published BEIR numbers (pytrec_eval wraps the same code).
 *
 * <p>Conventions, each matching trec_eval's defaults:
 *
 * <ul>
 *   <li>The run is re-sorted by score descending, ties broken by document id descending in byte
 *       order ({@code strcmp(docno2, docno1)} in trec_eval's {@code form_res_rels.c}); the
 *       system's own rank order is ignored.
 *   <li>A document is relevant when its judgement is {@code >= 1} ({@code -l 1}); unjudged
 *       documents count as non-relevant.
 *   <li>nDCG uses the judgement itself as the gain and discounts rank {@code r} (1-based) by
 *       {@code log2(r + 1)}; the ideal ranking is every judged document with gain {@code > 0},
 *       sorted by gain, cut at the same depth.
 *   <li>Queries are those of the qrels. A query of the qrels that is missing from the run, or
 *       that retrieved nothing, scores 0 on every measure and stays in the average (trec_eval
 *       {@code -c}); a query with judgements but none relevant scores 0 (trec_eval's value when
 *       the number of relevant documents is 0). Run queries absent from the qrels are ignored.
 * </ul>
 */
public final class TrecEval {

    public static final int RELEVANCE_LEVEL = 1;

    /** trec_eval's tie-break: score descending, then docno descending (byte order). */
    public static final Comparator<ScoredDoc> TREC_ORDER =
            Comparator.comparingDouble(ScoredDoc::score).reversed()
                    .thenComparing(ScoredDoc::docId, Comparator.reverseOrder());

    private final Map<String, Map<String, Integer>> qrels;

    /** @param qrels query id -> document id -> judgement (graded, 0 = judged non-relevant) */
    public TrecEval(Map<String, Map<String, Integer>> qrels) {
        this.qrels = qrels;
    }

    /** Evaluates a run (query id -> retrieved documents, any order) over every qrels query. */
    public Evaluation evaluate(Map<String, List<ScoredDoc>> run) {
        List<QueryScores> out = new ArrayList<>(qrels.size());
        for (Map.Entry<String, Map<String, Integer>> e : qrels.entrySet()) {
            List<ScoredDoc> docs = run.getOrDefault(e.getKey(), List.of());
            out.add(evaluateQuery(e.getKey(), docs, e.getValue()));
        }
        return new Evaluation(out);
    }

    /** The measures of one query; {@code judged} maps document id to judgement. */
    public static QueryScores evaluateQuery(String queryId, List<ScoredDoc> retrieved, Map<String, Integer> judged) {
        List<ScoredDoc> ranked = new ArrayList<>(retrieved);
        ranked.sort(TREC_ORDER);
        Set<String> seen = new HashSet<>();
        for (ScoredDoc d : ranked) {
            if (!seen.add(d.docId())) {
                throw new IllegalArgumentException(
                        "query " + queryId + ": document " + d.docId() + " is retrieved twice");
            }
        }
        int numRel = 0;
        for (int rel : judged.values()) {
            if (rel >= RELEVANCE_LEVEL) {
                numRel++;
            }
        }
        int n = ranked.size();
        int[] rels = new int[n];
        for (int i = 0; i < n; i++) {
            rels[i] = judged.getOrDefault(ranked.get(i).docId(), -1);
        }
        return new QueryScores(
                queryId,
                ndcgCut(rels, judged, 10),
                recallCut(rels, numRel, 100),
                recallCut(rels, numRel, 1000),
                recipRankCut(rels, 10),
                mapCut(rels, numRel, 1000),
                n,
                numRel);
    }

    static double ndcgCut(int[] rels, Map<String, Integer> judged, int cut) {
        double dcg = 0;
        for (int i = 0; i < Math.min(cut, rels.length); i++) {
            if (rels[i] > 0) {
                dcg += rels[i] / log2(i + 2);
            }
        }
        int[] gains = judged.values().stream().mapToInt(Integer::intValue).filter(g -> g > 0).toArray();
        Arrays.sort(gains);
        double ideal = 0;
        for (int i = 0; i < Math.min(cut, gains.length); i++) {
            ideal += gains[gains.length - 1 - i] / log2(i + 2);
        }
        return ideal > 0 ? dcg / ideal : 0.0;
    }

    static double recallCut(int[] rels, int numRel, int cut) {
        if (numRel == 0) {
            return 0.0;
        }
        int hits = 0;
        for (int i = 0; i < Math.min(cut, rels.length); i++) {
            if (rels[i] >= RELEVANCE_LEVEL) {
                hits++;
            }
        }
        return (double) hits / numRel;
    }

    static double recipRankCut(int[] rels, int cut) {
        for (int i = 0; i < Math.min(cut, rels.length); i++) {
            if (rels[i] >= RELEVANCE_LEVEL) {
                return 1.0 / (i + 1);
            }
        }
        return 0.0;
    }

    static double mapCut(int[] rels, int numRel, int cut) {
        if (numRel == 0) {
            return 0.0;
        }
        double sum = 0;
        int found = 0;
        for (int i = 0; i < Math.min(cut, rels.length); i++) {
            if (rels[i] >= RELEVANCE_LEVEL) {
                found++;
                sum += (double) found / (i + 1);
            }
        }
        return sum / numRel;
    }

    /** Overlap of the top {@code k} document ids of two rankings over {@code k}, in TREC order. */
    public static double overlapAtK(List<ScoredDoc> approx, List<ScoredDoc> exact, int k) {
        List<ScoredDoc> e = new ArrayList<>(exact);
        e.sort(TREC_ORDER);
        List<ScoredDoc> a = new ArrayList<>(approx);
        a.sort(TREC_ORDER);
        int depth = Math.min(k, e.size());
        if (depth == 0) {
            return 1.0;
        }
        Set<String> truth = new HashSet<>();
        for (int i = 0; i < depth; i++) {
            truth.add(e.get(i).docId());
        }
        int hit = 0;
        for (int i = 0; i < Math.min(k, a.size()); i++) {
            if (truth.contains(a.get(i).docId())) {
                hit++;
            }
        }
        return (double) hit / depth;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
