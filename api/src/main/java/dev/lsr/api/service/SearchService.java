package dev.lsr.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.web.ApiException;
import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.QueryWeights;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionStats;
import dev.lsr.index.Filter;
import dev.lsr.index.Fusion;
import dev.lsr.index.Hit;
import dev.lsr.index.SearchMode;
import dev.lsr.index.SearchRequest;
import dev.lsr.index.SearchResponse;
import dev.lsr.index.TermContribution;
import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** A REST search: checks limits, encodes the query text when needed, asks the index, names term ids. */
@Service
public final class SearchService {

    private static final int DEFAULT_K = 10;

    private final CollectionService collections;
    private final LsrProperties.Limits limits;
    private final MeterRegistry meters;

    public SearchService(CollectionService collections, LsrProperties properties, MeterRegistry meters) {
        this.collections = collections;
        this.limits = properties.limits();
        this.meters = meters;
    }

    /** Hits best first; {@code query} (the query's terms) only when {@code explain} was asked. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(List<HitView> hits, String mode, @JsonProperty("took_ms") double tookMs, QueryView query) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HitView(String id, float score, String title, String text, Map<String, Object> metadata,
            List<TermView> explanation) {}

    /** A shared term's part of a hit's score: {@code contribution = query_weight * document_weight}. */
    public record TermView(String token, @JsonProperty("term_id") int termId, @JsonProperty("query_weight") float queryWeight,
            @JsonProperty("document_weight") float documentWeight, float contribution) {}

    /**
     * The query as searched: its word pieces and its vector's terms, heaviest first;
     * {@code expansion} marks terms the model added that are not pieces of the query text.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueryView(List<String> tokens, List<QueryTerm> terms, Boolean truncated, String encoder) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueryTerm(String token, @JsonProperty("term_id") int termId, float weight, Boolean expansion) {}

    public Result search(String name, SearchBody body) {
        long t0 = System.nanoTime();
        Collection c = collections.get(name);
        SearchMode mode = mode(body.mode());
        int k = body.k() == null ? DEFAULT_K : body.k();
        if (k < 1) {
            throw ApiException.badRequest("'k' must be >= 1, was " + k);
        }
        if (k > limits.maxK()) {
            throw ApiException.limit(HttpStatus.BAD_REQUEST, "lsr.limits.max-k", limits.maxK(),
                    "'k' is " + k + ", above the limit of " + limits.maxK() + " (lsr.limits.max-k)");
        }
        String text = body.query();
        if (text != null && text.length() > limits.maxQueryChars()) {
            throw ApiException.limit(HttpStatus.BAD_REQUEST, "lsr.limits.max-query-chars", limits.maxQueryChars(),
                    "'query' has " + text.length() + " characters, above the limit of " + limits.maxQueryChars()
                            + " (lsr.limits.max-query-chars)");
        }
        boolean hasText = text != null && !text.isBlank();
        boolean explain = Boolean.TRUE.equals(body.explain());
        SearchBody.Params params = body.params() == null
                ? new SearchBody.Params(null, null, null, null, null, null, null, null) : body.params();

        Vocabulary vocabulary = collections.vocabulary(c);
        SparseVector vector = null;
        EncodedText encoded = null;
        String encoderName = null;
        if (mode != SearchMode.BM25) {
            if (body.vector() != null && !body.vector().isNull()) {
                try {
                    vector = VectorJson.parse(body.vector(), "'vector'", vocabulary, c.settings().dim());
                } catch (InvalidVectorException e) {
                    throw ApiException.badRequest(e.getMessage());
                }
            } else if (hasText) {
                encoderName = queryEncoder(params.queryEncoder());
                encoded = encodeQuery(c, text, encoderName);
                vector = encoded.vector();
            } else {
                throw ApiException.badRequest("give 'query' (text) or 'vector' to search in mode " + mode.label());
            }
        }
        if ((mode == SearchMode.BM25 || mode == SearchMode.HYBRID) && !hasText) {
            throw ApiException.badRequest("mode " + mode.label() + " needs 'query' text");
        }

        SearchRequest request = switch (mode) {
            case APPROXIMATE -> SearchRequest.sparse(vector, k);
            case EXACT -> SearchRequest.exact(vector, k);
            case BM25 -> SearchRequest.bm25(text, k);
            case HYBRID -> SearchRequest.hybrid(vector, text, k);
        };
        if (body.filter() != null && !body.filter().isNull()) {
            request = request.withFilter(Filter.of(body.filter()));
        }
        request = request.withExplain(explain).withQueryCut(checkQueryCut(params.queryCut()))
                .withHeapFactor(checkHeapFactor(params.heapFactor()));
        if (mode == SearchMode.HYBRID) {
            SparseEncoder enc = collections.encoder(c);
            request = hybrid(request, params, k, enc == null ? null : enc.info().defaults());
        }

        Timer.Sample sample = Timer.start(meters);
        SearchResponse response = c.search(request);
        sample.stop(Timer.builder("lsr.search").description("time the index takes to answer a search")
                .tag("mode", mode.label()).publishPercentileHistogram().register(meters));

        List<HitView> hits = new ArrayList<>(response.hits().size());
        for (Hit h : response.hits()) {
            hits.add(new HitView(h.id(), h.score(), h.title(), h.text(), h.metadata() == null || h.metadata().isEmpty() ? null : h.metadata(), terms(h.explanation(), vocabulary)));
        }
        QueryView query = explain && vector != null ? queryView(vector, encoded, vocabulary, encoderName) : null;
        double tookMs = (System.nanoTime() - t0) / 1e6;
        return new Result(hits, response.mode().label(), Math.round(tookMs * 1000) / 1000.0, query);
    }

    private EncodedText encodeQuery(Collection c, String text, String encoderName) {
        SparseEncoder encoder = collections.requireEncoder(c, "search it with a 'vector' or in mode bm25");
        if (encoderName.equals("inference-free")) {
            CollectionStats stats = c.stats();
            long n = (long) stats.docs() + stats.deletedDocs();
            if (n == 0) {
                return EncodedText.empty();
            }
            QueryWeights idf = QueryWeights.fromDocumentFrequencies(c.documentFrequencies(), n,
                    encoder.info().defaults().queryIdfPowerOrOne());
            encoder = encoder.withOptions(encoder.options().withQueryWeights(idf));
        }
        Timer.Sample sample = Timer.start(meters);
        EncodedText e = encoder.encodeQuery(text);
        sample.stop(Timer.builder("lsr.encode").description("time to encode texts with a model")
                .tag("kind", "query").publishPercentileHistogram().register(meters));
        return e;
    }

    private static String queryEncoder(String s) {
        if (s == null || s.equals("full")) {
            return "full";
        }
        if (s.equals("inference-free")) {
            return s;
        }
        throw ApiException.badRequest("'params.query_encoder' must be full or inference-free, was '" + s + "'");
    }

    private static SearchMode mode(String s) {
        if (s == null) {
            return SearchMode.APPROXIMATE;
        }
        for (SearchMode m : SearchMode.values()) {
            if (m.label().equals(s.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw ApiException.badRequest("'mode' must be one of approximate, exact, bm25, hybrid; was '" + s + "'");
    }

    private static Integer checkQueryCut(Integer q) {
        if (q != null && q < 1) {
            throw ApiException.badRequest("'params.query_cut' must be >= 1, was " + q);
        }
        return q;
    }

    private static Double checkHeapFactor(Double h) {
        if (h != null && !(h >= 0 && h <= 1)) {
            throw ApiException.badRequest("'params.heap_factor' must be in [0, 1], was " + h);
        }
        return h;
    }

    /** @param modelDefaults the collection's model's recommendations (fusion, weight) for what the request leaves out; null = none */
    private static SearchRequest hybrid(SearchRequest request, SearchBody.Params p, int k, ModelInfo.Defaults modelDefaults) {
        String modelFusion = modelDefaults == null ? null : modelDefaults.hybridFusion();
        String fusion = p.fusion() != null ? p.fusion() : modelFusion != null ? modelFusion : "rrf";
        Fusion f = switch (fusion) {
            case "rrf" -> {
                int rk = p.rrfK() == null ? 60 : p.rrfK();
                if (rk < 1) {
                    throw ApiException.badRequest("'params.rrf_k' must be >= 1, was " + rk);
                }
                yield new Fusion.Rrf(rk);
            }
            case "linear" -> {
                Double modelWeight = modelDefaults == null ? null : modelDefaults.hybridSparseWeight();
                boolean given = p.sparseWeight() != null || p.bm25Weight() != null;
                double ws = p.sparseWeight() != null ? p.sparseWeight() : !given && modelWeight != null ? modelWeight : 0.5;
                double wb = p.bm25Weight() != null ? p.bm25Weight() : !given && modelWeight != null ? 1 - modelWeight : 0.5;
                if (!(ws >= 0) || !(wb >= 0) || ws + wb == 0) {
                    throw ApiException.badRequest("'params.sparse_weight' and 'params.bm25_weight' must be >= 0 and not both 0, were "
                            + ws + " and " + wb);
                }
                yield new Fusion.Linear(ws, wb);
            }
            default -> throw ApiException.badRequest("'params.fusion' must be rrf or linear, was '" + fusion + "'");
        };
        request = request.withFusion(f);
        if (p.candidates() != null) {
            if (p.candidates() < k) {
                throw ApiException.badRequest("'params.candidates' must be >= k (" + k + "), was " + p.candidates());
            }
            request = request.withCandidates(p.candidates());
        }
        return request;
    }

    private static List<TermView> terms(List<TermContribution> explanation, Vocabulary vocabulary) {
        if (explanation == null) {
            return null;
        }
        List<TermView> out = new ArrayList<>(explanation.size());
        for (TermContribution t : explanation) {
            out.add(new TermView(token(t.termId(), vocabulary), t.termId(), t.queryWeight(), t.documentWeight(), t.contribution()));
        }
        return out;
    }

    private static QueryView queryView(SparseVector v, EncodedText encoded, Vocabulary vocabulary, String encoderName) {
        Set<String> pieces = encoded == null ? Set.of() : new HashSet<>(encoded.tokens());
        Integer[] order = new Integer[v.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(v.value(b), v.value(a)));
        List<QueryTerm> terms = new ArrayList<>(order.length);
        for (int i : order) {
            String token = token(v.index(i), vocabulary);
            Boolean expansion = encoded == null || vocabulary == null ? null : !pieces.contains(token);
            terms.add(new QueryTerm(token, v.index(i), v.value(i), expansion));
        }
        return new QueryView(encoded == null ? null : encoded.tokens(), terms,
                encoded == null ? null : encoded.truncated(), encoderName);
    }

    private static String token(int termId, Vocabulary vocabulary) {
        return vocabulary == null || termId >= vocabulary.size() ? null : vocabulary.token(termId);
    }
}
