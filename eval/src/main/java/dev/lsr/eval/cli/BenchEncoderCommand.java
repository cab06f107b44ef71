package dev.lsr.eval.cli;

import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelRegistry;
import dev.lsr.eval.bench.EncoderBenchmark;
import dev.lsr.eval.bench.HeadBenchmark;
import dev.lsr.eval.report.JsonReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.util.IOUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr bench encoder}: the encoder benchmark of DESIGN.md, measured in one run: query latency,
 * document throughput, and the head alone (fused Java head vs ONNX Runtime running the same
 * projection), plus the memory of the fused head against materialised logits.
 */
@Command(name = "encoder", mixinStandardHelpOptions = true,
        description = "Benchmark the encoder: query latency, document throughput, fused head vs ONNX Runtime head.")
public final class BenchEncoderCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "Model name under the data dir (imported on first use), model directory, or ONNX export;"
                    + " with --head-only any directory holding a head.bin. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--data", description = "Data directory (default: $LSR_DATA or ./data).")
    Path data;

    @Option(names = "--json", description = "Write the machine-readable report here.")
    Path json;

    @Option(names = "--threads", description = "Threads for document encoding and for both heads (default: all cores).")
    Integer threads;

    @Option(names = "--head-reps", defaultValue = "40",
            description = "Timed calls per head at T=16 (T=256 gets a quarter, at least 8). Default: ${DEFAULT-VALUE}.")
    int headReps;

    @Option(names = "--warmup-ms", defaultValue = "1500",
            description = "Minimum warm-up per head measurement, so the kernels are compiled. Default: ${DEFAULT-VALUE}.")
    long warmupMs;

    @Option(names = "--no-head-variants", negatable = false,
            description = "Skip the bf16 and int8 head variants (speed and cosine to fp32).")
    boolean noHeadVariants;

    @Option(names = "--head-only", description = "Measure only the head (no body, tokenizer or data files needed).")
    boolean headOnly;

    @Option(names = "--queries", defaultValue = "../shared/data/msmarco-dev/queries.tsv",
            description = "Queries (id<TAB>text); those of 8-16 model tokens are timed. Default: ${DEFAULT-VALUE}.")
    Path queriesFile;

    @Option(names = "--corpus", defaultValue = "../shared/data/scifact/corpus.jsonl.gz",
            description = "BEIR corpus whose documents (cut to 256 tokens) are encoded. Default: ${DEFAULT-VALUE}.")
    Path corpusFile;

    @Option(names = "--query-count", defaultValue = "200", description = "Queries timed. Default: ${DEFAULT-VALUE}.")
    int queryCount;

    @Option(names = "--doc-count", defaultValue = "64", description = "Documents encoded. Default: ${DEFAULT-VALUE}.")
    int docCount;

    @Option(names = "--batch-size", defaultValue = "8", description = "Documents per model run. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--batch-tokens", defaultValue = "" + dev.lsr.encoder.EncoderOptions.DEFAULT_BATCH_TOKENS,
            description = "Cap on a document batch's slots (documents x padded length), 0 = none. Default: ${DEFAULT-VALUE}.")
    int batchTokens;

    @Option(names = "--workers", defaultValue = "0",
            description = "Document batches run at once, each with threads / workers threads (0 = one per thread, the encoder's default);"
                    + " the other form (1, or one per thread) is timed beside it. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--work-dir", description = "Where converted bf16/int8 heads go (default: a temp directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        OutputPaths.checkFile("--json", json);
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (nThreads < 1) {
            throw new ExitCodes.BadInputException("--threads must be >= 1, got " + nThreads);
        }
        if (queryCount < 1 || docCount < 1 || batchSize < 1) {
            throw new ExitCodes.BadInputException("--query-count, --doc-count and --batch-size must be >= 1");
        }
        if (batchTokens < 0 || workers < 0) {
            throw new ExitCodes.BadInputException("--batch-tokens and --workers must be >= 0");
        }
        if (headReps < 1) {
            throw new ExitCodes.BadInputException("--head-reps must be >= 1, got " + headReps);
        }
        Path modelDir = resolveModel();
        Path head = modelDir.resolve("head.bin");
        if (!Files.isRegularFile(head)) {
            throw new ExitCodes.BadInputException("model " + modelDir + " has no head.bin");
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("lsr-bench-encoder");
        try {
            return measure(modelDir, head, work, nThreads);
        } finally {
            if (workDir == null) {
                // The converted bf16 and int8 heads: ~70 MB for BERT-base, left in /tmp by every run before.
                // A failure here must not hide the run's own error.
                try {
                    IOUtils.rm(work);
                } catch (java.io.IOException e) {
                    System.err.println("bench encoder: note: could not delete " + work + ": " + e.getMessage());
                }
            }
        }
    }

    private Integer measure(Path modelDir, Path head, Path work, int nThreads) throws Exception {
        System.err.printf("bench encoder: model %s, %d thread(s), %d core(s) available%n", modelDir, nThreads,
                Runtime.getRuntime().availableProcessors());

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("query_ms", null);
        report.put("docs_per_s", null);
        List<float[]> sequences = new ArrayList<>();
        int hidden;
        try (var w = dev.lsr.encoder.head.HeadFile.open(head)) {
            hidden = w.hidden();
        } catch (java.io.IOException e) {
            throw new ExitCodes.BadInputException(e.getMessage(), e);
        }
        if (!headOnly) {
            EncoderBenchmark.Result enc;
            try {
                enc = new EncoderBenchmark(new EncoderBenchmark.Settings(nThreads, queryCount, docCount, batchSize,
                        batchTokens, workers, queriesFile, corpusFile), System.err).run(modelDir);
            } catch (ModelFormatException e) {
                throw new ExitCodes.BadInputException(e.getMessage(), e);
            }
            report.putAll(enc.report());
            sequences.addAll(enc.hiddenStates());
            report.put("head_input", "hidden states of real texts from the model's body (T=256: the longest"
                    + " benchmark document, rows repeated up to 256 if shorter)");
        } else {
            // Synthetic hidden states at the scale of a LayerNorm output.
            sequences.add(HeadBenchmark.gaussianRows(256, hidden, 1));
            for (int i = 0; i < 7; i++) {
                sequences.add(HeadBenchmark.gaussianRows(i % 2 == 0 ? 16 : 256, hidden, 100 + i));
            }
            report.put("head_input", "synthetic unit-Gaussian hidden states (--head-only)");
        }
        HeadBenchmark bench = new HeadBenchmark(
                new HeadBenchmark.Settings(nThreads, headReps, Math.max(8, headReps / 4), warmupMs, !noHeadVariants, work), System.err);
        report.putAll(bench.run(head, sequences));
        report.put("model", modelDir.getFileName().toString());
        report.put("model_dir", modelDir.toString());
        report.put("threads", nThreads);
        report.put("machine", machine());
        // How this CPU runs the int8 graphs (signed, unsigned or 7bit weights): the numbers depend on it.
        report.put("int8_weights", dev.lsr.encoder.onnx.IntegerProducts.forThisMachine().propertyValue());
        if (json != null) {
            JsonReport.write(json, report);
            System.err.println("bench encoder: report written to " + json);
        }
        return ExitCodes.OK;
    }

    private Path resolveModel() throws java.io.IOException {
        Path p = Path.of(model);
        if (headOnly && Files.isRegularFile(p.resolve("head.bin"))) {
            return p;
        }
        try (ImportProgressBar bar = new ImportProgressBar()) {
            return new ModelRegistry(data != null ? data : ModelRegistry.defaultDataDir(), bar).resolve(model);
        } catch (ModelFormatException e) {
            throw new ExitCodes.BadInputException(e.getMessage(), e);
        }
    }

    static String machine() {
        return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version();
    }
}
