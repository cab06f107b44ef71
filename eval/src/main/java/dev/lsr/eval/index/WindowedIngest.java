package dev.lsr.eval.index;

import dev.lsr.index.Collection;
import dev.lsr.index.Document;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code lsr index}'s write loop: reads the input in windows of {@code batch} documents and writes
 * them to the sink, window i+1 started (its texts tokenised on the sink's helper thread) before
 * window i is finished (model and index), refreshing as the policy says. Encoded input shows a
 * progress bar with documents/s and the time left; vectors alone log a line every 10 s.
 *
 * @param buckets give every document metadata {@code bucket} ({@link #withBucket}), for the
 *     filtered search benchmark
 */
public record WindowedIngest(int batch, boolean buckets, boolean quiet) {

    /** Writes every document of {@code input} and returns how many were indexed. */
    public long run(IndexSink sink, InputDocuments in, String input, RefreshPolicy refresh) throws Exception {
        Collection c = sink.collection();
        long start = System.nanoTime();
        long docs = 0;
        Iterator<Document> it = in.documents();
        List<Document> buffer = new ArrayList<>(batch);
        long read = 0;
        long lastLog = start;
        ProgressBar bar = null;
        IndexSink.Window pending = null;
        try {
            while (it.hasNext() || pending != null) {
                IndexSink.Window next = null;
                if (it.hasNext()) {
                    while (it.hasNext() && buffer.size() < batch) {
                        Document d = it.next();
                        buffer.add(buckets ? withBucket(d, read) : d);
                        read++;
                    }
                    next = sink.start(buffer);
                    buffer.clear();
                }
                if (pending != null) {
                    if (bar == null && pending.toEncode() > 0 && !quiet) {
                        bar = progressBar(InputDocuments.countDocuments(input), docs).build();
                    }
                    ProgressBar b = bar;
                    long done = sink.finish(pending, b == null ? n -> { } : b::stepBy);
                    if (b != null) {
                        b.stepBy(pending.size() - pending.toEncode());
                    }
                    docs += done;
                    refresh.added(done, c);
                    if (bar == null && System.nanoTime() - lastLog > 10_000_000_000L) {
                        lastLog = System.nanoTime();
                        System.err.printf("lsr index: %,d documents (%.0f docs/s)%n", docs, docs / ((lastLog - start) / 1e9));
                    }
                }
                pending = next;
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return docs;
    }

    /**
     * The document with metadata {@code bucket} = {@code (position * 7919) mod 1000}: a permutation
     * of 0..999 over every run of 1,000 documents, so a filter "bucket < b" passes b/1000 of every
     * segment, independent of the vectors.
     */
    static Document withBucket(Document d, long position) {
        Map<String, Object> meta = new LinkedHashMap<>(d.metadata() == null ? Map.of() : d.metadata());
        meta.put("bucket", (int) ((position * 7919) % 1000));
        return new Document(d.id(), d.title(), d.text(), meta, d.vector());
    }

    /**
     * Documents indexed so far (encoded ones step per model run), documents/s and the time left;
     * {@code total} < 0 when the input's size is unknown.
     */
    private static ProgressBarBuilder progressBar(long total, long already) {
        return new ProgressBarBuilder()
                .setTaskName("lsr index")
                .setInitialMax(total)
                .startsFrom(already, Duration.ZERO)
                .setUnit(" docs", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.ASCII)
                .continuousUpdate();
    }
}
