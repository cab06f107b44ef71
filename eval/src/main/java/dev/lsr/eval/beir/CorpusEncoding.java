package dev.lsr.eval.beir;

import dev.lsr.seismic.SparseVector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Encodes a corpus through {@link EncodedCorpusCache}: resumes where an earlier run stopped and
 * skips the encoder entirely when the cache is complete.
 */
public final class CorpusEncoding {

    /** What happened: how many documents the encoder saw now and how fast. */
    public record Outcome(List<SparseVector> vectors, int encodedNow, int fromCache, double seconds, Path cacheDir) {
        public double docsPerSecond() {
            return encodedNow == 0 || seconds <= 0 ? 0 : encodedNow / seconds;
        }
    }

    /**
     * Documents handed to the model at once: it sorts them into length buckets, so a long window
     * pads little (SciFact at 512 tokens, batches of 8: 19.7% of the slots run were padding with
     * windows of 16 documents, 0.9% with 512; encoder/README.md). The cache still appends in corpus
     * order, so an interrupted run loses at most one window.
     */
    public static final int DEFAULT_WINDOW_DOCS = 512;

    private final Path cacheRoot;
    private final int chunkDocs;
    private final int windowDocs;
    private final boolean showProgress;

    /**
     * @param chunkDocs documents per cache append
     * @param windowDocs documents per model call (the model's length buckets span one window)
     */
    public CorpusEncoding(Path cacheRoot, int chunkDocs, int windowDocs, boolean showProgress) {
        this.cacheRoot = cacheRoot;
        this.chunkDocs = chunkDocs;
        this.windowDocs = windowDocs;
        this.showProgress = showProgress;
    }

    public Outcome encode(BeirDataset dataset, DocumentEncoder encoder) {
        String key = EncodedCorpusCache.key(encoder.modelChecksum(), dataset.corpusChecksum(), encoder.optionsDescription());
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("model_checksum", encoder.modelChecksum());
        description.put("corpus", dataset.corpusFile().toAbsolutePath().toString());
        description.put("corpus_sha256", dataset.corpusChecksum());
        description.put("encoder_options", encoder.optionsDescription());
        List<BeirDocument> corpus = dataset.corpus();
        EncodedCorpusCache cache = EncodedCorpusCache.open(cacheRoot, key, description, corpus.size(), encoder.dimension());
        int start = cache.completedDocs();
        long t0 = System.nanoTime();
        if (start < corpus.size()) {
            try (ProgressBar bar = progress("encoding " + dataset.name(), corpus.size(), start, t0).build()) {
                bar.stepTo(start);
                List<SparseVector> pending = new ArrayList<>(chunkDocs);
                for (int i = start; i < corpus.size(); i += windowDocs) {
                    List<String> texts = new ArrayList<>(windowDocs);
                    for (int j = i; j < Math.min(i + windowDocs, corpus.size()); j++) {
                        texts.add(corpus.get(j).fullText());
                    }
                    List<SparseVector> vs = encoder.encodeDocuments(texts, bar::stepBy);
                    if (vs.size() != texts.size()) {
                        throw new IllegalStateException("encoder returned " + vs.size() + " vectors for " + texts.size() + " texts");
                    }
                    pending.addAll(vs);
                    bar.stepTo(i + texts.size());
                    if (pending.size() >= chunkDocs) {
                        cache.append(pending);
                        pending = new ArrayList<>(chunkDocs);
                    }
                }
                cache.append(pending);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<SparseVector> vectors = cache.readAll();
        if (vectors.size() != corpus.size()) {
            throw new IllegalStateException("encoding cache " + cache.directory() + " holds " + vectors.size()
                    + " vectors for " + corpus.size() + " documents");
        }
        int now = corpus.size() - start;
        return new Outcome(vectors, now, start, now == 0 ? 0 : seconds, cache.directory());
    }

    /** Cached logits of some texts, and how many the model computed now. */
    public record Logits(float[][] rows, int computedNow, double seconds, Path cacheDir) {}

    /**
     * The model's per-term max logits of {@code texts} through a {@link LogitCache} keyed by the
     * model identity and {@code textsChecksum}: computed once, resumable, then read back.
     */
    public Logits logits(String label, List<String> texts, String textsChecksum, LogitSource source) {
        return logits(label, texts, textsChecksum, source.identity(), source.dimension(), source::maxLogits);
    }

    /** {@link #logits} of full-mode queries: {@link LogitSource#queryMaxLogits}, keyed by {@link LogitSource#queryIdentity}. */
    public Logits queryLogits(String label, List<String> texts, String textsChecksum, LogitSource source) {
        return logits(label, texts, textsChecksum, source.queryIdentity(), source.dimension(),
                (t, progress) -> {
                    List<float[]> rows = source.queryMaxLogits(t);
                    progress.accept(rows.size());
                    return rows;
                });
    }

    private Logits logits(String label, List<String> texts, String textsChecksum, String identity, int dimension,
            java.util.function.BiFunction<List<String>, java.util.function.IntConsumer, List<float[]>> compute) {
        String key = EncodedCorpusCache.key(identity, textsChecksum, "logits");
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("model", identity);
        description.put("texts", label);
        description.put("texts_sha256", textsChecksum);
        LogitCache cache = LogitCache.open(cacheRoot.resolve("logits-" + key), description, texts.size(), dimension);
        int start = cache.completedDocs();
        long t0 = System.nanoTime();
        if (start < texts.size()) {
            try (ProgressBar bar = progress(label, texts.size(), start, t0).build()) {
                bar.stepTo(start);
                List<float[]> pending = new ArrayList<>(chunkDocs);
                for (int i = start; i < texts.size(); i += windowDocs) {
                    List<float[]> rows = compute.apply(texts.subList(i, Math.min(i + windowDocs, texts.size())), bar::stepBy);
                    pending.addAll(rows);
                    bar.stepTo(i + rows.size());
                    if (pending.size() >= chunkDocs) {
                        cache.append(pending);
                        pending = new ArrayList<>(chunkDocs);
                    }
                }
                cache.append(pending);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int now = texts.size() - start;
        return new Logits(cache.readAll(), now, now == 0 ? 0 : seconds, cache.directory());
    }

    /**
     * Encodes the corpus through the {@link LogitCache}: the model runs once per (model, corpus)
     * however many sparsity settings are tried. {@code perRow} is built from all rows (for corpus
     * statistics such as centring offsets) and then maps each row to its vector.
     */
    public Outcome encodeViaLogits(BeirDataset dataset, LogitSource source,
            java.util.function.Function<float[][], java.util.function.Function<float[], SparseVector>> perRow) {
        List<String> texts = dataset.corpus().stream().map(BeirDocument::fullText).toList();
        Logits l = logits("encoding " + dataset.name(), texts, dataset.corpusChecksum(), source);
        float[][] rows = l.rows();
        java.util.function.Function<float[], SparseVector> f = perRow.apply(rows);
        List<SparseVector> vectors = new ArrayList<>(rows.length);
        for (float[] row : rows) {
            vectors.add(f.apply(row));
        }
        return new Outcome(vectors, l.computedNow(), texts.size() - l.computedNow(), l.seconds(), l.cacheDir());
    }

    private ProgressBarBuilder progress(String label, int total, int start, long t0) {
        ProgressBarBuilder pb = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(total)
                .setUnit(" docs", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.ASCII)
                .setEtaFunction(st -> eta(st.getCurrent() - start, total - st.getCurrent(), t0))
                .continuousUpdate();
        if (!showProgress) {
            pb.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(x -> { }));
        }
        return pb;
    }

    private static java.util.Optional<Duration> eta(long doneNow, long left, long t0) {
        if (doneNow <= 0) {
            return java.util.Optional.empty();
        }
        double perDoc = (System.nanoTime() - t0) / (double) doneNow;
        return java.util.Optional.of(Duration.ofNanos((long) (perDoc * left)));
    }
}
