package dev.lsr.encoder.model;

import dev.lsr.encoder.model.tf.BertCheckpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes the bundled smoothing calibration ({@link CalibrationMaxima#BUNDLED}): the maxima the sq8
 * import measures on the last {@code docs} texts of a BEIR corpus (title + " " + text, cut at the
 * model's max tokens), exactly as {@code lsr model import --body-dtype sq8 --calibration CORPUS} does.
 * With a fifth argument, also writes the sq8 body of those maxima in the reference form (as the
 * import wrote it before {@link BertGraph.Smoothing#fewerPasses}) there, to compare with an earlier import.
 * args: checkpoint.jar corpus.jsonl.gz out.bin docs [reference-body.onnx]
 */
public final class CalibrationMaximaTool {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path corpus = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int docs = Integer.parseInt(args[3]);
        List<String> texts = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(corpus)), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = om.readTree(line);
                String title = n.path("title").asString("");
                String text = n.path("text").asString("");
                String t = title.isEmpty() ? text : text.isEmpty() ? title : title + " " + text;
                if (!t.isBlank()) {
                    texts.add(t);
                }
            }
        }
        List<String> calib = texts.subList(Math.max(0, texts.size() - docs), texts.size());
        BertCheckpoint ckpt = BertCheckpoint.read(jar, ImportProgress.NONE);
        int maxTokens = (int) ckpt.shape("module/bert/embeddings/position_embeddings")[0];
        Path vocab = Files.createTempFile("lsr-vocab", ".txt");
        try {
            Files.write(vocab, ckpt.vocab(), StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            BertGraph.Smoothing s = BertImporter.calibrate(ckpt, vocab, maxTokens, calib, ImportProgress.NONE);
            String source = "the last " + calib.size() + " of " + texts.size() + " texts of " + corpus.getFileName()
                    + " (title + \" \" + text, cut at " + maxTokens + " tokens), fp32 body, one text per run";
            try (OutputStream os = Files.newOutputStream(out)) {
                CalibrationMaxima.write(os, new CalibrationMaxima.Table(CalibrationMaxima.fingerprint(ckpt), source, s.activationMax()));
            }
            System.out.printf("%s: %d layers, %s; %.1f s%n", out, s.activationMax().size(), source, (System.nanoTime() - t0) / 1e9);
            if (args.length > 4) {
                CalibrationMaxima.Table back;
                try (java.io.InputStream in = Files.newInputStream(out)) {
                    back = CalibrationMaxima.read(in, out.toString());
                }
                BertGraph.Smoothing ref = new BertGraph.Smoothing(back.maxima(), BertImporter.SQ8_ALPHA, true, false, false);
                try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(Path.of(args[4])), 1 << 20)) {
                    BertGraph.build(ckpt, BertImporter.HEADS, ref, ImportProgress.NONE).writeTo(os);
                }
                System.out.println("reference-form sq8 body written to " + args[4]);
            }
        } finally {
            Files.deleteIfExists(vocab);
        }
    }
}
