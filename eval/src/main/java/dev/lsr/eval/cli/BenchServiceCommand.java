package dev.lsr.eval.cli;

import dev.lsr.eval.beir.BeirDataset;
import dev.lsr.eval.beir.BeirLoader;
import dev.lsr.eval.report.JsonReport;
import dev.lsr.eval.service.CorpusUpload;
import dev.lsr.eval.service.QueryDriver;
import dev.lsr.eval.service.ServiceBenchReport;
import dev.lsr.eval.service.ServiceClient;
import dev.lsr.eval.service.ServiceProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.lucene.util.IOUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr bench service}: the service end to end over HTTP, as a user drives it. Creates a collection
 * with the service's default model, posts a BEIR corpus as text (background jobs), then sends every judged
 * query with the README's search body and with each explicit mode, and reports trec_eval's nDCG@10 of the
 * hits the service returned and single-client latency per setting. Starts {@code lsr serve} itself (free
 * port, fresh data directory) unless {@code --url} names a running service.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Benchmark the REST service on a BEIR split: ingest the corpus as text, search every query per mode, nDCG@10 and latency.")
public final class BenchServiceCommand implements Callable<Integer> {

    static final Set<String> MODES = Set.of("default", "approximate", "exact", "bm25", "hybrid");

    @Option(names = "--data", required = true, description = "BEIR directory (corpus.jsonl[.gz], queries.jsonl, qrels/<split>.tsv)")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "qrels split (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--lenient", description = "qrels naming unknown documents or queries: warn instead of failing")
    boolean lenient;

    @Option(names = "--url", description = "a running service (e.g. http://localhost:8080); default: start lsr serve on a free port")
    String url;

    @Option(names = "--api-key", description = "the service's API key, sent as a Bearer token (default: $LSR_API_KEY)")
    String apiKey = System.getenv("LSR_API_KEY");

    @Option(names = "--collection", defaultValue = "bench", description = "collection to create (reused when it holds exactly the corpus; default: ${DEFAULT-VALUE})")
    String collection;

    @Option(names = "--model", description = "create the collection with {\"model\": M} (default: no body, the service's default model)")
    String model;

    @Option(names = "--settings", paramLabel = "JSON",
            description = "create the collection with these settings (a JSON object, the PUT body; --model is added to it)")
    String settingsJson;

    @Option(names = "--mode", split = ",", defaultValue = "default,bm25,approximate,exact,hybrid",
            description = "request settings: default (the README's body, no mode) and/or explicit modes (default: ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--query-encoder", split = ",", description = "also run each sparse mode with params.query_encoder full|inference-free (default: the model's, not named)")
    List<String> queryEncoders = new ArrayList<>();

    @Option(names = "--prf-weight", split = ",", description = "also run each sparse setting with params.prf at these weights in [0, 1] (default: none)")
    List<Double> prfWeights = new ArrayList<>();

    @Option(names = "--prf-docs", defaultValue = "3", description = "params.prf.docs of the PRF settings (default: ${DEFAULT-VALUE})")
    int prfDocs;

    @Option(names = "--prf-terms", defaultValue = "20", description = "params.prf.terms of the PRF settings (default: ${DEFAULT-VALUE})")
    int prfTerms;

    @Option(names = "--k", defaultValue = "10", description = "hits per search (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--warmup", defaultValue = "50", description = "queries sent untimed per setting first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--batch", defaultValue = "1000", description = "documents per POST; above the service's async-batch each is a job (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--serve-data", description = "data directory of the started service, kept (default: a temporary one, deleted afterwards)")
    Path serveData;

    @Option(names = "--serve-jar", description = "the service jar to start (default: $LSR_API_JAR, else api/target/lsr-api.jar beside this build)")
    Path serveJar;

    @Option(names = "--serve-arg", description = "extra option for the started service, repeatable (e.g. --serve-arg=--lsr.default-model=DIR)")
    List<String> serveArgs = new ArrayList<>();

    @Option(names = "--serve-jvm-opt", description = "JVM option for the started service, repeatable (default: $LSR_JAVA_OPTS)")
    List<String> serveJvmOpts;

    @Option(names = "--serve-log", description = "the started service's output (default: a temporary file)")
    Path serveLog;

    @Option(names = "--start-timeout", defaultValue = "1800", description = "seconds to wait for the started service to be ready (default: ${DEFAULT-VALUE})")
    int startTimeout;

    @Option(names = "--ingest-timeout", defaultValue = "7200", description = "seconds to wait for the corpus to be indexed (default: ${DEFAULT-VALUE})")
    int ingestTimeout;

    @Option(names = "--json", description = "write the report here")
    Path json;

    @Override
    public Integer call() throws Exception {
        OutputPaths.checkFile("--json", json);
        List<QueryDriver.Setting> settings = settings();
        createBody();
        URI given = givenUrl();
        BeirDataset ds = new BeirLoader(lenient).load(data, split);
        ds.warnings().forEach(w -> System.err.println("bench service: warning: " + w));
        long t0 = System.nanoTime();
        Path tempData = given == null && serveData == null ? Files.createTempDirectory("lsr-bench-service") : null;
        Map<String, Object> report;
        try (ServiceProcess started = given == null ? start(tempData != null ? tempData : serveData) : null) {
            URI base = given != null ? given : started.url();
            report = measure(ds, new ServiceClient(base, apiKey, Duration.ofMinutes(5)), started != null, settings, t0);
        } finally {
            if (tempData != null) {
                try {
                    IOUtils.rm(tempData);
                } catch (IOException e) {
                    // A failure here must not hide the run's own error.
                    System.err.println("bench service: note: could not delete " + tempData + ": " + e.getMessage());
                }
            }
        }
        if (json != null) {
            JsonReport.write(json, report);
            System.err.println("bench service: report written to " + json);
        }
        return ExitCodes.OK;
    }

    /** Upload, then every setting in turn, then the report. */
    private Map<String, Object> measure(BeirDataset ds, ServiceClient client, boolean started, List<QueryDriver.Setting> settings, long t0)
            throws InterruptedException {
        PrintStream err = System.err;
        ServiceBenchReport report = new ServiceBenchReport(ds, client.base().toString(), started, collection, k, warmup);
        report.upload(new CorpusUpload(client, err, Duration.ofSeconds(ingestTimeout)).upload(collection, createBody(), ds.corpus(), batch), batch);
        QueryDriver driver = new QueryDriver(client, collection, k, warmup);
        for (QueryDriver.Setting s : settings) {
            err.printf("bench service: setting %s, %d queries%n", s.name(), ds.queries().size());
            report.add(driver.run(s, ds.queries()), driver.body(s, "<query text>"));
        }
        report.printTable(err);
        return report.finish((System.nanoTime() - t0) / 1e9, BenchEncoderCommand.machine());
    }

    /** The PUT body: none (the service's default model, as the README does it), or --settings with --model added. */
    Map<String, Object> createBody() {
        if (settingsJson == null && model == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (settingsJson != null) {
            try {
                tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
                tools.jackson.databind.JsonNode node = mapper.readTree(settingsJson);
                if (node == null || !node.isObject()) {
                    throw new ExitCodes.BadInputException("--settings: not a JSON object: " + settingsJson);
                }
                body.putAll(mapper.convertValue(node, new tools.jackson.core.type.TypeReference<Map<String, Object>>() { }));
            } catch (tools.jackson.core.JacksonException e) {
                throw new ExitCodes.BadInputException("--settings: malformed JSON: " + e.getOriginalMessage(), e);
            }
        }
        if (model != null) {
            body.put("model", model);
        }
        return body;
    }

    List<QueryDriver.Setting> settings() {
        if (k < 1 || warmup < 0 || batch < 1 || startTimeout < 1 || ingestTimeout < 1) {
            throw new ExitCodes.BadInputException("--k, --batch, --start-timeout and --ingest-timeout must be >= 1 and --warmup >= 0");
        }
        List<QueryDriver.Setting> out = new ArrayList<>();
        for (String m : modes) {
            if (!MODES.contains(m)) {
                throw new ExitCodes.BadInputException("--mode: unknown setting '" + m + "' (default|approximate|exact|bm25|hybrid)");
            }
            out.add(new QueryDriver.Setting(m, m.equals("default") ? Map.of() : Map.of("mode", m)));
        }
        for (String e : queryEncoders) {
            if (!e.equals("full") && !e.equals("inference-free")) {
                throw new ExitCodes.BadInputException("--query-encoder: '" + e + "' is not full or inference-free");
            }
            for (String m : modes) {
                if (!m.equals("bm25")) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    if (!m.equals("default")) {
                        fields.put("mode", m);
                    }
                    fields.put("params", Map.of("query_encoder", e));
                    out.add(new QueryDriver.Setting(m + "/" + e, fields));
                }
            }
        }
        for (double w : prfWeights) {
            if (!(w >= 0 && w <= 1)) {
                throw new ExitCodes.BadInputException("--prf-weight: " + w + " is not in [0, 1]");
            }
            for (String m : modes) {
                if (!m.equals("bm25")) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    if (!m.equals("default")) {
                        fields.put("mode", m);
                    }
                    fields.put("params", Map.of("prf", Map.of("docs", prfDocs, "terms", prfTerms, "weight", w)));
                    out.add(new QueryDriver.Setting(m + "+prf" + w, fields));
                }
            }
        }
        return out;
    }

    private URI givenUrl() {
        if (url == null) {
            return null;
        }
        try {
            URI u = new URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new ExitCodes.BadInputException("--url: '" + url + "' is not an http(s) URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ExitCodes.BadInputException("--url: '" + url + "' is not a URL: " + e.getReason(), e);
        }
    }

    private ServiceProcess start(Path dataDir) throws IOException, InterruptedException {
        Path jar = serveJar != null ? serveJar : defaultJar();
        List<String> jvm = serveJvmOpts != null ? serveJvmOpts : splitOpts(System.getenv("LSR_JAVA_OPTS"));
        Path log = serveLog != null ? serveLog : Files.createTempFile("lsr-bench-serve", ".log");
        return ServiceProcess.start(new ServiceProcess.Settings(ServiceProcess.jarLaunch(jar, jvm), dataDir, serveArgs, log,
                Duration.ofSeconds(startTimeout)), System.err);
    }

    private static Path defaultJar() {
        String env = System.getenv("LSR_API_JAR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try {
            // eval/target/lsr-eval.jar (or eval/target/classes) -> api/target/lsr-api.jar
            Path here = Path.of(BenchServiceCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return here.getParent().getParent().getParent().resolve("api/target/lsr-api.jar");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("api/target/lsr-api.jar");
        }
    }

    private static List<String> splitOpts(String opts) {
        return opts == null || opts.isBlank() ? List.of() : List.of(opts.trim().split("\\s+"));
    }
}
