package dev.lsr.eval.cli;

import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.QueryWeights;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.model.ModelRegistry;
import dev.lsr.eval.report.JsonReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr model query-weights}: the inference-free query table of a model (query_weights.json),
 * the IDF of each term over a corpus sample's document vectors. The service and {@code lsr beir}
 * build this table from each collection; {@code lsr encode} and the OpenSearch plugin's text
 * queries have no collection and use the model's file, without which a model that recommends
 * inference-free queries runs its full forward pass on them instead.
 */
@Command(name = "query-weights", mixinStandardHelpOptions = true,
        description = "Build the inference-free query table (query_weights.json: each term's IDF over a corpus sample's document vectors)"
                + " for where no collection builds it: lsr encode, the OpenSearch plugin's text queries.")
final class ModelQueryWeightsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model name under $LSR_DATA/models, or a model directory")
    String model;

    @Option(names = "--corpus", required = true,
            description = "the documents to be indexed: JSONL[.gz] (title + text or contents; a BEIR corpus) or a text file, one document per line")
    Path corpus;

    @Option(names = "--sample", defaultValue = "1000", description = "documents encoded, evenly spaced over the corpus (default: ${DEFAULT-VALUE})")
    int sample;

    @Option(names = "--idf-power", description = "each term weighs idf^p (default: the model's query_idf_power, else 1)")
    Double idfPower;

    @Option(names = "--json", description = "write the report here")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (sample < 1) {
            throw new ExitCodes.BadInputException("--sample must be >= 1, got " + sample);
        }
        if (idfPower != null && !(idfPower > 0 && idfPower <= 10)) {
            throw new ExitCodes.BadInputException("--idf-power must be in (0, 10], got " + idfPower);
        }
        OutputPaths.checkFile("--json", json);
        Path dir;
        try (ImportProgressBar bar = new ImportProgressBar()) {
            dir = new ModelRegistry(ModelRegistry.defaultDataDir(), bar).resolve(model);
        } catch (ModelFormatException e) {
            throw new ExitCodes.BadInputException("--model " + model + ": " + e.getMessage(), e);
        }
        List<String> picked = CorpusTexts.sample(CorpusTexts.read(corpus), sample);
        if (picked.isEmpty()) {
            throw new ExitCodes.BadInputException(corpus + ": no documents");
        }
        long t0 = System.nanoTime();
        // The model directory is verified once, by the encoder; its model.json decides the rest.
        try (SparseEncoder enc = SparseEncoder.open(dir, EncoderOptions::defaults)) {
            ModelInfo info = enc.info();
            ModelInfo.Defaults d = info.defaults();
            if (d.centringPercentile() != null && !info.files().containsKey(ModelInfo.TERM_OFFSETS)) {
                // The table is the documents' terms; uncentred documents of a zero-shot model hold nearly every term.
                throw new ExitCodes.BadInputException("--model " + info.name() + " recommends centring at percentile " + d.centringPercentile()
                        + " and has no " + ModelInfo.TERM_OFFSETS + ": run lsr model centring on the same corpus first");
            }
            double power = idfPower != null ? idfPower : d.queryIdfPowerOrOne();
            System.err.printf(Locale.ROOT, "query weights of %s: encoding %,d documents%n", info.name(), picked.size());
            QueryWeights weights = enc.fitQueryWeights(picked, power);
            report(dir, info, weights, power, picked.size(), (System.nanoTime() - t0) / 1e9);
        }
        return ExitCodes.OK;
    }

    private void report(Path dir, ModelInfo info, QueryWeights weights, double power, int documents, double seconds) {
        int terms = 0;
        for (int t = 0; t < weights.size(); t++) {
            terms += weights.weight(t) > 0 ? 1 : 0;
        }
        boolean used = "inference-free".equals(info.defaults().queryMode());
        System.err.printf(Locale.ROOT, "wrote %s (%,d terms, idf^%s, %,d documents) in %.1f s%n",
                dir.resolve(ModelInfo.QUERY_WEIGHTS), terms, power, documents, seconds);
        if (!used) {
            System.err.println("note: model.json does not recommend inference-free queries (encoder.query_mode), so queries keep"
                    + " running the model; set \"query_mode\": \"inference-free\" there to use the table");
        }
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", info.name());
            report.put("file", dir.resolve(ModelInfo.QUERY_WEIGHTS).toString());
            report.put("documents", documents);
            report.put("terms", terms);
            report.put("idf_power", power);
            report.put("used_by_default", used);
            report.put("seconds", Math.round(seconds * 1000) / 1000.0);
            JsonReport.write(json, report);
        }
    }
}
