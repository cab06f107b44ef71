package dev.lsr.eval.cli;

import dev.lsr.eval.bench.HeadBenchmark;
import dev.lsr.eval.report.JsonReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Option(names = "--model", defaultValue = "bert-base-uncased-mlm",
            description = "Model directory (with head.bin) or the name of an imported model. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--json", description = "Write the machine-readable report here.")
    Path json;

    @Option(names = "--threads", description = "Threads for document encoding and for both heads (default: all cores).")
    Integer threads;

    @Option(names = "--head-reps", defaultValue = "40",
            description = "Timed calls per head at T=16 (T=256 gets a quarter, at least 8). Default: ${DEFAULT-VALUE}.")
    int headReps;

    @Option(names = "--head-only", description = "Measure only the head (no body, tokenizer or data files needed).")
    boolean headOnly;

    @Option(names = "--work-dir", description = "Where converted bf16/int8 heads go (default: a temp directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (nThreads < 1) {
            throw new ExitCodes.BadInputException("--threads must be >= 1, got " + nThreads);
        }
        if (headReps < 1) {
            throw new ExitCodes.BadInputException("--head-reps must be >= 1, got " + headReps);
        }
        Path modelDir = ModelDirs.resolve(model);
        Path head = modelDir.resolve("head.bin");
        if (!Files.isRegularFile(head)) {
            throw new ExitCodes.BadInputException("model " + modelDir + " has no head.bin");
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("lsr-bench-encoder");
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
        // Timing input and cosine sequences: synthetic LayerNorm-scale hidden states.
        sequences.add(HeadBenchmark.gaussianRows(256, hidden, 1));
        for (int i = 0; i < 7; i++) {
            sequences.add(HeadBenchmark.gaussianRows(i % 2 == 0 ? 16 : 256, hidden, 100 + i));
        }
        HeadBenchmark bench = new HeadBenchmark(
                new HeadBenchmark.Settings(nThreads, headReps, Math.max(8, headReps / 4), work), System.err);
        report.putAll(bench.run(head, sequences));
        report.put("model", modelDir.getFileName().toString());
        report.put("model_dir", modelDir.toString());
        report.put("threads", nThreads);
        report.put("machine", machine());
        if (json != null) {
            JsonReport.write(json, report);
            System.err.println("bench encoder: report written to " + json);
        }
        return ExitCodes.OK;
    }

    static String machine() {
        return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version();
    }
}
