package dev.lsr.eval.service;

import dev.lsr.eval.cli.ExitCodes;
import dev.lsr.eval.metrics.ScoredDoc;
import dev.lsr.eval.report.Latencies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Sends every query to {@code POST /collections/{name}/search}, one at a time from one client, in one
 * request setting: the README's body {@code {"query": text, "k": k}} plus the setting's fields. Keeps
 * the hits each response returned (for trec_eval measures) and two latencies per request: the
 * client's (request sent to body read) and the service's own {@code took_ms}.
 */
public final class QueryDriver {

    /**
     * A request setting.
     *
     * @param name how the report names it ({@code default} is the README's body with nothing added)
     * @param fields what the setting adds to {@code {"query", "k"}}, e.g. {@code {"mode": "bm25"}}
     */
    public record Setting(String name, Map<String, Object> fields) {
        public Setting {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /** What one setting measured: the run (query id -> hits as returned), latencies and the modes the service reported. */
    public record Measured(Setting setting, Map<String, List<ScoredDoc>> run, Latencies client, Latencies server,
            Map<String, Integer> modesRan) {}

    private final ServiceClient client;
    private final String collection;
    private final int k;
    private final int warmup;

    public QueryDriver(ServiceClient client, String collection, int k, int warmup) {
        this.client = client;
        this.collection = collection;
        this.k = k;
        this.warmup = warmup;
    }

    /** Runs {@code warmup} queries untimed, then every query once, timed. */
    public Measured run(Setting setting, Map<String, String> queries) {
        List<Map.Entry<String, String>> all = new ArrayList<>(queries.entrySet());
        for (int i = 0; i < Math.min(warmup, all.size()); i++) {
            search(setting, all.get(i).getValue());
        }
        Map<String, List<ScoredDoc>> run = new LinkedHashMap<>();
        Latencies clientSide = new Latencies(all.size());
        Latencies serverSide = new Latencies(all.size());
        Map<String, Integer> modes = new TreeMap<>();
        for (Map.Entry<String, String> q : all) {
            ServiceClient.Reply r = search(setting, q.getValue());
            clientSide.add(r.nanos());
            JsonNode took = r.json().get("took_ms");
            if (took != null && took.isNumber()) {
                serverSide.add(Math.round(took.asDouble() * 1e6));
            }
            modes.merge(r.json().get("mode").asString(), 1, Integer::sum);
            List<ScoredDoc> hits = new ArrayList<>();
            for (JsonNode h : r.json().get("hits")) {
                hits.add(new ScoredDoc(h.get("id").asString(), h.get("score").asDouble()));
            }
            run.put(q.getKey(), hits);
        }
        return new Measured(setting, run, clientSide, serverSide, modes);
    }

    /** The request body a setting sends for a query (also what the report shows, with the query left out). */
    public Map<String, Object> body(Setting setting, String query) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("k", k);
        body.putAll(setting.fields());
        return body;
    }

    private ServiceClient.Reply search(Setting setting, String query) {
        ServiceClient.Reply r = client.post("/collections/" + collection + "/search", body(setting, query));
        if (r.status() == 400) {
            throw new ExitCodes.BadInputException("setting '" + setting.name() + "': the service refused the request (400): " + r.detail());
        }
        if (r.status() != 200 || r.json() == null || !r.json().has("hits")) {
            throw new ServiceClient.ServiceException("setting '" + setting.name() + "': search answered " + r.status() + ": " + r.detail());
        }
        return r;
    }
}
