package dev.lsr.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.schema.Metadata;
import dev.lsr.api.web.ApiException;
import dev.lsr.engine.EngineCollection;
import dev.lsr.engine.Prf;
import dev.lsr.engine.Query;
import dev.lsr.engine.QueryEncoder;
import dev.lsr.engine.SearchResult;
import dev.lsr.index.Filter;
import dev.lsr.index.SearchMode;
import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** A REST search: checks limits, parses the vector and filter, and asks the collection's {@link EngineCollection}. */
@Service
public final class SearchService {

    private final CollectionService collections;
    private final LsrProperties.Limits limits;
    private final MeterRegistry meters;

    public SearchService(CollectionService collections, LsrProperties properties, MeterRegistry meters) {
        this.collections = collections;
        this.limits = properties.limits();
        this.meters = meters;
    }

    /**
     * Hits best first; {@code query} (the query's terms) only when {@code explain} was asked.
     *
     * @param mode the mode that ran (the request's, or the model's recommended one)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SearchResponse")
    public record Result(List<HitView> hits, String mode, @JsonProperty("took_ms") double tookMs, QueryView query) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Hit")
    public record HitView(String id, float score, String title, String text,
            @Schema(implementation = Metadata.class) Map<String, Object> metadata,
            List<TermView> explanation) {}

    /** A shared term's part of a hit's score: {@code contribution = query_weight * document_weight}. */
    @Schema(name = "HitTerm")
    public record TermView(String token, @JsonProperty("term_id") int termId, @JsonProperty("query_weight") float queryWeight,
            @JsonProperty("document_weight") float documentWeight, float contribution) {}

    /**
     * The query as searched: its word pieces and its vector's terms, heaviest first;
     * {@code expansion} marks terms the model added that are not pieces of the query text.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SearchedQuery")
    public record QueryView(List<String> tokens, List<QueryTerm> terms, Boolean truncated, String encoder) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "QueryTerm")
    public record QueryTerm(String token, @JsonProperty("term_id") int termId, float weight, Boolean expansion) {}

    public Result search(String name, SearchBody body) {
        long t0 = System.nanoTime();
        EngineCollection c = collections.get(name);
        Query q = query(c, body);
        SearchResult r = c.search(q);
        if (r.queryEncoder() != null) {
            Timer.builder("lsr.encode").description("time to encode texts with a model")
                    .tag("kind", "query").publishPercentileHistogram().register(meters).record(r.encodeMicros(), TimeUnit.MICROSECONDS);
        }
        Timer.builder("lsr.search").description("time the index takes to answer a search")
                .tag("mode", r.mode().label()).publishPercentileHistogram().register(meters).record(r.searchMicros(), TimeUnit.MICROSECONDS);
        List<HitView> hits = new ArrayList<>(r.hits().size());
        for (SearchResult.Hit h : r.hits()) {
            hits.add(new HitView(h.id(), h.score(), h.title(), h.text(), h.metadata() == null || h.metadata().isEmpty() ? null : h.metadata(),
                    terms(h.explanation())));
        }
        QueryView query = null;
        if (r.query() != null) {
            List<QueryTerm> terms = r.query().terms().stream().map(t -> new QueryTerm(t.token(), t.termId(), t.weight(), t.expansion())).toList();
            query = new QueryView(r.query().tokens(), terms, r.query().truncated(), r.queryEncoder() == null ? null : r.queryEncoder().label());
        }
        double tookMs = (System.nanoTime() - t0) / 1e6;
        return new Result(hits, r.mode().label(), Math.round(tookMs * 1000) / 1000.0, query);
    }

    /** The engine query of a request body: limits and the JSON forms of vector and filter are the api's to check. */
    private Query query(EngineCollection c, SearchBody body) {
        int k = body.k() == null ? Query.DEFAULT_K : body.k();
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
        SearchMode mode = mode(body.mode());
        SparseVector vector = null;
        if (body.vector() != null && !body.vector().isNull() && mode != SearchMode.BM25) {
            try {
                vector = VectorJson.parse(body.vector(), "'vector'", c.vocabulary(), c.settings().dim());
            } catch (InvalidVectorException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        SearchBody.Params p = body.params() == null
                ? new SearchBody.Params(null, null, null, null, null, null, null, null, null, null) : body.params();
        Query q = new Query(text, vector, k, mode, body.filter() == null || body.filter().isNull() ? null : Filter.of(body.filter()),
                Boolean.TRUE.equals(body.explain()), queryEncoder(p.queryEncoder()), p.queryCut(), p.heapFactor(), p.fusion(),
                p.rrfK(), p.sparseWeight(), p.bm25Weight(), p.candidates(), p.idfPower(), prf(p.prf()),
                !Boolean.FALSE.equals(body.storedFields()));
        return q;
    }

    private static Prf prf(SearchBody.Prf p) {
        if (p == null) {
            return null;
        }
        return Prf.of(p.docs(), p.terms(), p.weight());
    }

    private static QueryEncoder queryEncoder(String s) {
        if (s == null) {
            return null;
        }
        if (s.equals("full")) {
            return QueryEncoder.FULL;
        }
        if (s.equals("inference-free")) {
            return QueryEncoder.INFERENCE_FREE;
        }
        throw ApiException.badRequest("'params.query_encoder' must be full or inference-free, was '" + s + "'");
    }

    private static SearchMode mode(String s) {
        if (s == null) {
            return null;
        }
        for (SearchMode m : SearchMode.values()) {
            if (m.label().equals(s.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw ApiException.badRequest("'mode' must be one of approximate, exact, bm25, hybrid; was '" + s + "'");
    }

    private static List<TermView> terms(List<SearchResult.TermScore> explanation) {
        if (explanation == null) {
            return null;
        }
        List<TermView> out = new ArrayList<>(explanation.size());
        for (SearchResult.TermScore t : explanation) {
            out.add(new TermView(t.token(), t.termId(), t.queryWeight(), t.documentWeight(), t.contribution()));
        }
        return out;
    }
}
