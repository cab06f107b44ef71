package dev.lsr.eval.bench;

import dev.lsr.encoder.EncodedBatch;
import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelDirectory;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.encoder.tokenize.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Document throughput of worker / thread / batch-size settings, timed in turn on the same
 * documents (round-robin, so drift on a shared machine hits them alike). Not a test: run by hand.
 *
 * <pre>java -cp ... dev.lsr.eval.bench.WorkersProbe MODEL CORPUS DOCS MAX_TOKENS ROUNDS t2:w1:b8:k0 t2:w2:b8:k1024 ...</pre>
 * (t threads, w workers, b batch size, k slot cap per batch).
 */
public final class WorkersProbe {

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path corpus = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        int maxTokens = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        ModelInfo info = ModelDirectory.open(model);
        List<String> docs;
        try (TextTokenizer tok = TextTokenizer.open(model.resolve(info.tokenizer()), info.maxTokens(), info.lowerCase())) {
            docs = maxTokens > 0 ? BenchTexts.documents(corpus, tok, maxTokens, n) : BenchTexts.rawDocuments(corpus, n);
        }
        Map<Integer, SparseEncoder> byThreads = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<SparseEncoder> forms = new ArrayList<>();
        try {
            for (int a = 5; a < args.length; a++) {
                int threads = 2;
                int workers = EncoderOptions.AUTO_WORKERS;
                int batch = 8;
                int slots = EncoderOptions.DEFAULT_BATCH_TOKENS;
                for (String part : args[a].split(":")) {
                    int v = Integer.parseInt(part.substring(1));
                    switch (part.charAt(0)) {
                        case 't' -> threads = v;
                        case 'w' -> workers = v;
                        case 'b' -> batch = v;
                        case 'k' -> slots = v;
                        default -> throw new IllegalArgumentException(part);
                    }
                }
                int t = threads;
                SparseEncoder base = byThreads.computeIfAbsent(t, k -> {
                    try {
                        return SparseEncoder.open(model, EncoderOptions.defaults(info).withThreads(k));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                SparseEncoder f = base.withOptions(base.options().withDocumentWorkers(workers).withBatchSize(batch).withBatchTokens(slots));
                names.add(args[a]);
                forms.add(f);
                f.encodeDocuments(docs.subList(0, Math.min(docs.size(), batch * Math.max(2, threads))));
            }
            long[] nanos = new long[forms.size()];
            List<EncodedBatch> first = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                StringBuilder line = new StringBuilder("round " + r + ":");
                for (int f = 0; f < forms.size(); f++) {
                    long t0 = System.nanoTime();
                    EncodedBatch out = forms.get(f).encodeDocumentBatch(docs);
                    long dt = System.nanoTime() - t0;
                    nanos[f] += dt;
                    if (r == 0) {
                        first.add(out);
                    }
                    line.append(String.format(Locale.ROOT, " %s %.3f", names.get(f), docs.size() / (dt / 1e9)));
                }
                System.out.println(line);
            }
            for (int f = 0; f < forms.size(); f++) {
                int same = 0;
                for (int i = 0; i < docs.size(); i++) {
                    same += first.get(f).documents().get(i).equals(first.get(0).documents().get(i)) ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "%s: %.3f docs/s over %d rounds of %d docs (padding %.2f%%), vectors identical to %s: %d%n",
                        names.get(f), (double) docs.size() * rounds / (nanos[f] / 1e9), rounds, docs.size(),
                        100 * first.get(f).paddingFraction(), names.get(0), same);
            }
        } finally {
            for (SparseEncoder e : byThreads.values()) {
                e.close();
            }
        }
    }
}
