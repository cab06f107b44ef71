package dev.lsr.engine;

import dev.lsr.encoder.EncodedText;
import dev.lsr.index.SearchResponse;
import dev.lsr.index.TermContribution;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An index response as {@link SearchResult} shows it: term ids named by the model's vocabulary (none without one). */
final class ResultViews {

    private ResultViews() {}

    /** The response's hits, each explanation's terms named. */
    static List<SearchResult.Hit> hits(SearchResponse response, Vocabulary vocabulary) {
        List<SearchResult.Hit> hits = new ArrayList<>(response.hits().size());
        for (dev.lsr.index.Hit h : response.hits()) {
            hits.add(new SearchResult.Hit(h.id(), h.score(), h.title(), h.text(), h.metadata(), terms(h.explanation(), vocabulary)));
        }
        return hits;
    }

    private static List<SearchResult.TermScore> terms(List<TermContribution> explanation, Vocabulary vocabulary) {
        if (explanation == null) {
            return null;
        }
        List<SearchResult.TermScore> out = new ArrayList<>(explanation.size());
        for (TermContribution t : explanation) {
            out.add(new SearchResult.TermScore(token(t.termId(), vocabulary), t.termId(), t.queryWeight(), t.documentWeight(),
                    t.contribution()));
        }
        return out;
    }

    /** The query's terms, heaviest first, each marked as an expansion when the text's own pieces do not hold it. */
    static SearchResult.QueryView queryView(SparseVector v, EncodedText encoded, Vocabulary vocabulary) {
        Set<String> pieces = encoded == null ? Set.of() : new HashSet<>(encoded.tokens());
        Integer[] order = new Integer[v.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(v.value(b), v.value(a)));
        List<SearchResult.QueryTerm> terms = new ArrayList<>(order.length);
        for (int i : order) {
            String token = token(v.index(i), vocabulary);
            Boolean expansion = encoded == null || vocabulary == null ? null : !pieces.contains(token);
            terms.add(new SearchResult.QueryTerm(token, v.index(i), v.value(i), expansion));
        }
        return new SearchResult.QueryView(encoded == null ? null : encoded.tokens(), terms,
                encoded == null ? null : encoded.truncated());
    }

    private static String token(int termId, Vocabulary vocabulary) {
        return vocabulary == null || termId >= vocabulary.size() ? null : vocabulary.token(termId);
    }
}
