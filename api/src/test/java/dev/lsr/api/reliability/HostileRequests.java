package dev.lsr.api.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A seeded generator of bad requests against every endpoint. Each request is wrong in at least one
 * way that must be refused as a whole (so nothing it targets may change): malformed or truncated
 * JSON, wrong types, huge numbers, NaN/Infinity, negative and out-of-range term ids, deep filters,
 * enormous {@code k} and bodies, invalid UTF-8, path tricks and overlong names, unknown fields.
 */
final class HostileRequests {

    /** One request; {@code body} null means none. */
    record Request(String kind, String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            String b = body == null ? "" : new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
            return kind + " " + method + " " + path + " [" + contentType + "] " + b + (body != null && body.length > 160 ? "..." : "");
        }
    }

    static final String[] BAD_NAMES = {
        "..", "..%2F..%2Fetc", "%2e%2e", "%2E%2E%2Fescape", "..%5C..%5Cwin", "UPPER", "a%20b", "-dash", "_under",
        ".hidden", "x%00y", "%C3%BC", "%FF%FE", "%C0%AE%C0%AE", "a%0Ab", "nul%00", "%E2%80%AE", "a".repeat(65), "b".repeat(400), "name%2Fslash", "a.b", "%252e%252e", "con:1",
    };

    private final SplittableRandom rnd;
    private final String victim;
    private final int dim;
    private final long maxBody;
    private final int maxBatch;
    private final String textVictim;
    private final int textDim;
    private final List<Supplier<Request>> generators = new ArrayList<>();

    /**
     * @param textVictim a collection with a model (its vocabulary decides what is out of
     *     vocabulary), or null when no model is available
     */
    HostileRequests(long seed, String victim, int dim, String textVictim, int textDim, long maxBody, int maxBatch) {
        this.rnd = new SplittableRandom(seed);
        this.victim = victim;
        this.dim = dim;
        this.textVictim = textVictim;
        this.textDim = textDim;
        this.maxBody = maxBody;
        this.maxBatch = maxBatch;
        generators.add(this::badName);
        generators.add(this::truncatedSearch);
        generators.add(this::badSearchValue);
        generators.add(this::deepFilter);
        generators.add(this::badDocuments);
        generators.add(this::truncatedDocuments);
        generators.add(this::badSettings);
        generators.add(this::badEncode);
        generators.add(this::invalidUtf8);
        generators.add(this::hugeBody);
        generators.add(this::wrongMediaType);
        generators.add(this::wrongMethod);
        generators.add(this::oddDocumentPath);
        generators.add(this::badParameters);
        generators.add(this::badJob);
        if (textVictim != null) {
            generators.add(this::outOfVocabulary);
        }
    }

    Request next() {
        return generators.get(rnd.nextInt(generators.size())).get();
    }

    private String pick(String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String validVector() {
        return "{\"indices\": [1, 5], \"values\": [0.5, 1.5]}";
    }

    private String validSearch() {
        return "{\"vector\": " + validVector() + ", \"k\": 5, \"mode\": \"exact\", \"filter\": {\"term\": {\"parity\": \"even\"}}}";
    }

    private String validDocuments() {
        return "[{\"id\": \"x1\", \"text\": \"t\", \"metadata\": {\"parity\": \"odd\"}, \"vector\": " + validVector() + "}]";
    }

    // ------------------------------------------------------------------ generators

    private Request badName() {
        String name = pick(BAD_NAMES);
        return switch (rnd.nextInt(8)) {
            case 0 -> new Request("bad-name", "PUT", "/collections/" + name, "application/json", utf8("{\"model\": null, \"dim\": 100}"));
            case 1 -> new Request("bad-name", "GET", "/collections/" + name, null, null);
            case 2 -> new Request("bad-name", "DELETE", "/collections/" + name, null, null);
            case 3 -> new Request("bad-name", "POST", "/collections/" + name + "/documents?commit=true", "application/json", utf8(validDocuments()));
            case 4 -> new Request("bad-name", "POST", "/collections/" + name + "/search", "application/json", utf8(validSearch()));
            case 5 -> new Request("bad-name", "GET", "/collections/" + name + "/stats", null, null);
            case 6 -> new Request("bad-name", "GET", "/collections/" + name + "/documents/d1", null, null);
            default -> new Request("bad-name", "DELETE", "/collections/" + name + "/documents/d1?commit=true", null, null);
        };
    }

    private Request truncatedSearch() {
        String s = validSearch();
        return new Request("truncated-json", "POST", "/collections/" + victim + "/search", "application/json",
                utf8(s.substring(0, 1 + rnd.nextInt(s.length() - 1))));
    }

    private Request badSearchValue() {
        String body = switch (rnd.nextInt(22)) {
            case 0 -> "{\"vector\": " + validVector() + ", \"k\": \"ten\"}";
            case 1 -> "{\"vector\": " + validVector() + ", \"k\": 1e309}";
            case 2 -> "{\"vector\": " + validVector() + ", \"k\": 99999999999999999999999}";
            case 3 -> "{\"vector\": " + validVector() + ", \"k\": " + pick("-1", "0", "2147483648", "1000000000", "1.5") + "}";
            case 4 -> "{\"vector\": {\"indices\": [1], \"values\": [" + pick("NaN", "Infinity", "-Infinity", "\"NaN\"", "1e400", "-1", "0") + "]}}";
            case 5 -> "{\"vector\": {\"indices\": [" + pick("-1", "-2147483648", String.valueOf(dim), "2147483647", "1e20", "1.5", "\"7\"")
                    + "], \"values\": [1.0]}}";
            case 6 -> "{\"vector\": {\"indices\": [1, 2, 3], \"values\": [1.0]}}";
            case 7 -> "{\"vector\": {\"indices\": [4, 4], \"values\": [1.0, 2.0]}}";
            case 8 -> "{\"vector\": 5}";
            case 9 -> "{\"vector\": {\"notatoken-" + rnd.nextInt(1000) + "\": 1.0}}";
            case 10 -> "{\"vector\": " + validVector() + ", \"mode\": \"" + pick("fuzzy", "", "EXACT;drop", "approximate\\u0000") + "\"}";
            case 11 -> "{\"vector\": " + validVector() + ", \"unknownField\": true}";
            case 12 -> "{\"vector\": " + validVector() + ", \"filter\": \"parity:even\"}";
            case 13 -> "{\"vector\": " + validVector() + ", \"filter\": {\"range\": {\"n\": {\"gte\": \"x\", \"between\": 3}}}}";
            case 14 -> "{\"vector\": " + validVector() + ", \"filter\": {\"term\": {\"parity\": {\"nested\": 1}}}}";
            case 15 -> "{\"vector\": " + validVector() + ", \"params\": {\"heap_factor\": " + pick("-5", "NaN", "1e308", "\"x\"") + "}}";
            case 16 -> "{\"vector\": " + validVector() + ", \"params\": {\"query_cut\": " + pick("-1", "1e12", "0") + ", \"bogus\": 1}}";
            case 17 -> "{\"query\": \"" + "long ".repeat(2000) + "\", \"mode\": \"bm25\"}";
            case 18 -> pick("null", "[]", "\"\"", "42", "true", "{}", " ", "{\"k\": 5}");
            case 19 -> "{\"vector\": " + validVector() + ", \"vector\": " + validVector() + ", \"k\": 5, \"k\": -3}";
            case 20 -> "{\"vector\": {\"indices\": " + hugeArray(100_000) + ", \"values\": [1]}}";
            default -> "{\"query\": 12, \"mode\": [\"bm25\"]}";
        };
        String target = rnd.nextInt(6) == 0 ? "/collections/no-such-collection/search" : "/collections/" + victim + "/search";
        return new Request("bad-search", "POST", target, "application/json", utf8(body));
    }

    private String hugeArray(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(i);
        }
        return b.append(']').toString();
    }

    private Request deepFilter() {
        int depth = new int[] {33, 100, 600, 5000}[rnd.nextInt(4)];
        String op = pick("not", "and", "or");
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            f.append(op.equals("not") ? "{\"not\": " : "{\"" + op + "\": [");
        }
        f.append("{\"term\": {\"parity\": \"even\"}}");
        for (int i = 0; i < depth; i++) {
            f.append(op.equals("not") ? "}" : "]}");
        }
        return new Request("deep-filter", "POST", "/collections/" + victim + "/search", "application/json",
                utf8("{\"vector\": " + validVector() + ", \"k\": 5, \"filter\": " + f + "}"));
    }

    /** Every document of the batch is bad, so the whole batch must be refused. */
    private Request badDocuments() {
        int n = 1 + rnd.nextInt(4);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(badDocument());
        }
        b.append(']');
        if (rnd.nextInt(10) == 0) {
            StringBuilder many = new StringBuilder("[");
            for (int i = 0; i <= maxBatch; i++) {
                many.append(i == 0 ? "" : ",").append(badDocument());
            }
            b = many.append(']');
        }
        return new Request("bad-documents", "POST", "/collections/" + victim + "/documents?commit=true&refresh=true",
                "application/json", utf8(b.toString()));
    }

    private String badDocument() {
        String id = "\"h" + rnd.nextInt(1_000_000) + "\"";
        return switch (rnd.nextInt(14)) {
            case 0 -> "{\"text\": \"no id\", \"vector\": " + validVector() + "}";
            case 1 -> "{\"id\": " + pick("1.5", "null", "[\"a\"]", "{}", "\"\"", "true") + ", \"vector\": " + validVector() + "}";
            case 2 -> "{\"id\": " + id + ", \"vector\": {\"indices\": [1], \"values\": [" + pick("NaN", "Infinity", "-1", "0", "1e39", "\"w\"") + "]}}";
            case 3 -> "{\"id\": " + id + ", \"vector\": {\"indices\": [" + pick("-1", String.valueOf(dim), "2147483648", "3.5") + "], \"values\": [1]}}";
            case 4 -> "{\"id\": " + id + ", \"metadata\": {\"deep\": {\"x\": 1}}, \"vector\": " + validVector() + "}";
            case 5 -> "{\"id\": " + id + ", \"metadata\": {\"list\": [1, 2]}, \"vector\": " + validVector() + "}";
            case 6 -> "{\"id\": " + id + ", \"metadata\": {\"nil\": null}, \"vector\": " + validVector() + "}";
            case 7 -> "{\"id\": " + id + ", \"surprise\": 1, \"vector\": " + validVector() + "}";
            case 8 -> "{\"id\": " + id + ", \"title\": 42, \"vector\": " + validVector() + "}";
            case 9 -> "{\"id\": " + id + ", \"vector\": [1, 2, 3]}";
            case 10 -> "{\"id\": " + id + ", \"text\": \"no vector and the collection has no model\"}";
            case 11 -> "{\"id\": " + id + ", \"vector\": {\"indices\": [1, 2], \"values\": [1]}}";
            case 12 -> "{\"id\": \"" + "i".repeat(100_000) + "\", \"vector\": " + validVector() + "}";
            default -> pick("null", "42", "\"doc\"", "[]");
        };
    }

    private Request truncatedDocuments() {
        boolean ndjson = rnd.nextBoolean();
        // Array: cut anywhere before the closing bracket. NDJSON: one line cut before its closing brace.
        String s = ndjson ? validDocuments().substring(1, validDocuments().length() - 1) : validDocuments();
        String cut = s.substring(0, 1 + rnd.nextInt(s.length() - 1));
        return new Request("truncated-json", "POST", "/collections/" + victim + "/documents?commit=true",
                ndjson ? "application/x-ndjson" : "application/json", utf8(cut));
    }

    private Request badSettings() {
        String body = switch (rnd.nextInt(12)) {
            case 0 -> "{\"model\": null, \"dim\": " + pick("-1", "0", "\"big\"", "1e12", "2147483648", "NaN") + "}";
            case 1 -> "{\"model\": null, \"nosuchsetting\": 1}";
            case 2 -> "{\"model\": null, \"seismic\": {\"n_postings\": " + pick("-5", "\"x\"", "1e30") + "}}";
            case 3 -> "{\"model\": null, \"seismic\": {\"unknown\": true}}";
            case 4 -> "{\"model\": \"" + pick("../../etc/passwd", "/etc/passwd", "no-such-model", "/proc/self/environ") + "\"}";
            case 5 -> "{\"model\": null, \"refresh_interval_ms\": " + pick("-1", "\"soon\"", "1e40") + "}";
            case 6 -> "{\"model\": null, \"bm25\": {\"k1\": " + pick("-1", "NaN", "\"x\"") + "}}";
            case 7 -> "{\"model\": null, \"writer\": {\"ram_buffer_mb\": " + pick("-1", "0", "1e9") + "}}";
            case 8 -> "{\"model\": null, \"formatVersion\": 99}";
            case 9 -> pick("[]", "42", "\"x\"", "{\"model\": null,", "{");
            case 10 -> "{\"model\": null, \"search\": {\"heap_factor\": " + pick("-1", "2", "\"x\"") + "}}";
            default -> "{\"model\": 42}";
        };
        return new Request("bad-settings", "PUT", "/collections/hostile-" + rnd.nextInt(50), "application/json", utf8(body));
    }

    private Request badEncode() {
        String body = switch (rnd.nextInt(8)) {
            case 0 -> "{\"texts\": 5}";
            case 1 -> "{\"texts\": [" + "\"x\",".repeat(maxBatch + 1) + "\"y\"]}";
            case 2 -> "{\"texts\": [\"" + "w ".repeat(5000) + "\"], \"mode\": \"query\"}";
            case 3 -> "{\"text\": [1, 2], \"mode\": \"sideways\"}";
            case 4 -> "{\"model\": \"../../../etc\", \"texts\": [\"a\"]}";
            case 5 -> "{\"texts\": [null], \"unknown\": 1}";
            case 6 -> pick("", "[", "{\"texts\": [\"a\"", "null");
            default -> "{\"texts\": [\"a\"], \"mode\": 3, \"top_k\": -1}";
        };
        return new Request("bad-encode", "POST", "/encode", "application/json", utf8(body));
    }

    private Request invalidUtf8() {
        byte[] prefix = utf8(rnd.nextBoolean() ? "{\"vector\": " + validVector() + ", \"query\": \"" : "[{\"id\": \"");
        byte[][] junk = {{(byte) 0xC3, (byte) 0x28}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};
        byte[] j = junk[rnd.nextInt(junk.length)];
        byte[] suffix = utf8("\"}");
        byte[] body = new byte[prefix.length + j.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(j, 0, body, prefix.length, j.length);
        System.arraycopy(suffix, 0, body, prefix.length + j.length, suffix.length);
        boolean search = body[0] == '{';
        return new Request("invalid-utf8", "POST", "/collections/" + victim + (search ? "/search" : "/documents?commit=true"),
                "application/json", search ? body : concat(body, utf8("]")));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private Request hugeBody() {
        byte[] body = new byte[(int) maxBody + 1 + rnd.nextInt(1024)];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '[';
        body[body.length - 1] = ']';
        String path = pick("/collections/" + victim + "/documents?commit=true", "/collections/" + victim + "/search", "/encode",
                "/collections/hostile-big");
        return new Request("huge-body", path.startsWith("/collections/hostile") ? "PUT" : "POST", path, "application/json", body);
    }

    private Request wrongMediaType() {
        String type = pick("text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=EBCDIC-XYZ",
                "application/octet-stream", "application/x-www-form-urlencoded");
        String path = pick("/collections/" + victim + "/documents?commit=true", "/collections/" + victim + "/search", "/encode");
        return new Request("media-type", "POST", path, type, utf8(path.contains("documents") ? validDocuments().replace("x1", "mt") : validSearch()));
    }

    private Request wrongMethod() {
        return switch (rnd.nextInt(4)) {
            case 0 -> new Request("method", "PATCH", "/collections/" + victim, "application/json", utf8("{\"dim\": 5}"));
            case 1 -> new Request("method", "PUT", "/collections/" + victim + "/search", "application/json", utf8(validSearch()));
            case 2 -> new Request("method", "DELETE", "/collections/" + victim + "/search", null, null);
            default -> new Request("method", "POST", "/collections/" + victim + "/documents/d1", "application/json", utf8("{}"));
        };
    }

    /** Valid bodies with a request parameter that cannot be bound: refused before anything is written. */
    private Request badParameters() {
        // Not "" (Spring reads an empty value as the default) nor "yes%00" (its boolean converter trims
        // control characters, so that is "yes"): both are valid requests.
        String bad = pick("maybe", "2", "maybe%00", "true,false", "%FF", "%C3%28");
        return switch (rnd.nextInt(3)) {
            case 0 -> new Request("bad-parameter", "POST", "/collections/" + victim + "/documents?commit=" + bad, "application/json",
                    utf8(validDocuments().replace("x1", "param")));
            case 1 -> new Request("bad-parameter", "POST", "/collections/" + victim + "/documents?refresh=" + bad + "&commit=true",
                    "application/json", utf8(validDocuments().replace("x1", "param")));
            default -> new Request("bad-parameter", "DELETE", "/collections/" + victim + "/documents/d" + rnd.nextInt(8) + "?commit=" + bad,
                    null, null);
        };
    }

    private Request badJob() {
        String id = pick("no-such-job", "..%2F..%2Fetc", "%00", "j".repeat(3000), "-1", "%FF");
        return new Request("bad-job", "GET", "/jobs/" + id, null, null);
    }

    /** Term ids and tokens outside the model's vocabulary, against a collection that has a model. */
    private Request outOfVocabulary() {
        String vector = switch (rnd.nextInt(5)) {
            case 0 -> "{\"indices\": [" + pick(String.valueOf(textDim), String.valueOf(textDim + 1 + rnd.nextInt(1_000_000)), "2147483647")
                    + "], \"values\": [1.0]}";
            case 1 -> "{\"indices\": [" + pick("-1", "-" + (1 + rnd.nextInt(1_000_000)), "-2147483648") + "], \"values\": [1.0]}";
            case 2 -> "{\"zzq-not-a-token-" + rnd.nextInt(100_000) + "\": 1.0}";
            case 3 -> "{\"" + pick("\\u0000", "\\ud800", "[UNUSED_TOKEN]", "") + "\": 0.5}";
            default -> "{\"indices\": [0, " + textDim + "], \"values\": [1.0, " + pick("NaN", "Infinity", "1.0") + "]}";
        };
        if (rnd.nextBoolean()) {
            return new Request("out-of-vocabulary", "POST", "/collections/" + textVictim + "/search", "application/json",
                    utf8("{\"vector\": " + vector + ", \"k\": 3}"));
        }
        return new Request("out-of-vocabulary", "POST", "/collections/" + textVictim + "/documents?commit=true&refresh=true",
                "application/json", utf8("[{\"id\": \"oov" + rnd.nextInt(1000) + "\", \"text\": \"t\", \"vector\": " + vector + "}]"));
    }

    private Request oddDocumentPath() {
        String id = pick("..%2F..%2Fcollection.json", "%00", "nope-" + rnd.nextInt(1000), "a%2Fb", "x".repeat(2000), "%25%25");
        return new Request("document-path", "GET", "/collections/" + victim + "/documents/" + id, null, null);
    }
}
