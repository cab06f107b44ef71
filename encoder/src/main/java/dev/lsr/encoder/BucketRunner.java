package dev.lsr.encoder;

import ai.onnxruntime.OrtException;
import dev.lsr.encoder.onnx.OrtBody;
import dev.lsr.encoder.tokenize.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Body and head over tokenised texts: the texts sorted into length buckets ({@link LengthBuckets}),
 * each bucket padded to its longest text and run through the body, then the head's max over each
 * text's real tokens. On the calling thread, or on workers that each run whole buckets. Owns the
 * workers' threads; shared by every view of one encoder.
 */
final class BucketRunner implements AutoCloseable {

    /** One run of the head over a padded batch: {@code FusedHead#maxLogits}'s contract. */
    @FunctionalInterface
    interface Head {
        void maxLogits(float[] hidden, int batch, int tokens, int[] mask, float[] out);
    }

    private final int vocab;
    private final int hidden;
    private final ExecutorService workers =
            Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("lsr-encode-", 0).factory());

    BucketRunner(int vocab, int hidden) {
        this.vocab = vocab;
        this.hidden = hidden;
    }

    /**
     * Max logits per text (null for a blank one), in input order, on the calling thread. Adds the
     * real tokens run to {@code slots[0]} and the padding slots to {@code slots[1]}.
     */
    float[][] run(List<TextTokenizer.Tokens> toks, EncoderOptions options, OrtBody body, Head head, long[] slots) {
        return runOnWorkers(toks, options.withDocumentWorkers(1), threads -> body, threads -> head, slots, done -> { });
    }

    /**
     * {@link #run} on {@link EncoderOptions#effectiveDocumentWorkers()} workers, each with the body
     * and head {@code bodyFor} / {@code headFor} give for its share of the threads (all of them for
     * one worker); {@code progress} hears of each finished bucket on the calling thread.
     */
    float[][] runOnWorkers(List<TextTokenizer.Tokens> toks, EncoderOptions options, IntFunction<OrtBody> bodyFor,
            IntFunction<Head> headFor, long[] slots, IntConsumer progress) {
        int[] lengths = lengths(toks);
        int[][] plan = LengthBuckets.plan(lengths, options.batchSize(), options.batchTokens());
        countSlots(lengths, plan, slots);
        float[][] out = new float[toks.size()][];
        int workerCount = Math.min(options.effectiveDocumentWorkers(), plan.length);
        int threads = workerCount > 1 ? options.threadsPerDocumentWorker() : options.threads();
        OrtBody body = bodyFor.apply(threads);
        Head head = headFor.apply(threads);
        if (workerCount <= 1) {
            for (int[] batch : plan) {
                runBatch(toks, lengths, batch, body, head, out);
                progress.accept(batch.length);
            }
            return out;
        }
        // Data parallelism instead of intra-op threads: ONNX Runtime's per-operator fan-out leaves a
        // core idle in every single-threaded pass (per-row quantisation, the row scaling of
        // MatMulIntegerToFloat, the head's per-document calls); a worker per core running whole
        // batches keeps both busy. Longest batches first, so the last to finish are short ones.
        AtomicInteger next = new AtomicInteger(plan.length);
        AtomicBoolean stop = new AtomicBoolean();
        BlockingQueue<Object> finished = new LinkedBlockingQueue<>();
        List<Future<?>> running = new ArrayList<>(workerCount);
        for (int w = 0; w < workerCount; w++) {
            running.add(workers.submit(() -> {
                for (int k = next.decrementAndGet(); k >= 0 && !stop.get(); k = next.decrementAndGet()) {
                    try {
                        runBatch(toks, lengths, plan[k], body, head, out);
                        finished.add(plan[k].length);
                    } catch (Throwable t) {
                        stop.set(true);
                        finished.add(t);
                        return;
                    }
                }
            }));
        }
        try {
            for (int done = 0; done < plan.length; done++) {
                Object o = finished.take();
                if (o instanceof Throwable t) {
                    awaitAll(running);
                    if (t instanceof RuntimeException re) {
                        throw re;
                    }
                    if (t instanceof Error e) {
                        throw e;
                    }
                    throw new IllegalStateException(t);
                }
                progress.accept((Integer) o);
            }
        } catch (InterruptedException e) {
            stop.set(true);
            awaitAll(running);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding documents", e);
        } catch (RuntimeException | Error e) {
            stop.set(true); // a failing progress consumer stops the workers too
            awaitAll(running);
            throw e;
        }
        return out;
    }

    /**
     * Waits for the workers to stop (after their current batch, a second or two at most), so a
     * failure or an interrupt leaves no batch running on sessions the caller may close next.
     */
    private static void awaitAll(List<Future<?>> running) {
        boolean interrupted = Thread.interrupted();
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break; // the worker reported its failure through the queue
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int[] lengths(List<TextTokenizer.Tokens> toks) {
        int[] lengths = new int[toks.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = toks.get(i) == null ? -1 : toks.get(i).length();
        }
        return lengths;
    }

    private static void countSlots(int[] lengths, int[][] plan, long[] slots) {
        for (int[] batch : plan) {
            int t = lengths[batch[batch.length - 1]];
            for (int i : batch) {
                slots[0] += lengths[i];
                slots[1] += t - lengths[i];
            }
        }
    }

    /** Body and head over one length bucket (padded to its longest text); writes each text's row of {@code out}. */
    private void runBatch(List<TextTokenizer.Tokens> toks, int[] lengths, int[] batch, OrtBody body, Head head, float[][] out) {
        int b = batch.length;
        int t = lengths[batch[b - 1]];
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        int[] imask = new int[b * t];
        for (int j = 0; j < b; j++) {
            long[] x = toks.get(batch[j]).ids();
            System.arraycopy(x, 0, ids, j * t, x.length);
            for (int k = 0; k < x.length; k++) {
                mask[j * t + k] = 1;
                imask[j * t + k] = 1;
            }
        }
        float[] h;
        try {
            h = body.run(ids, mask, b, t);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + b + " x " + t + " tokens: " + e.getMessage(), e);
        }
        if (h.length != (long) b * t * hidden) {
            throw new IllegalStateException("body returned " + h.length + " values, expected " + b + " x " + t + " x " + hidden);
        }
        float[] logits = new float[b * vocab];
        head.maxLogits(h, b, t, imask, logits);
        for (int j = 0; j < b; j++) {
            out[batch[j]] = Arrays.copyOfRange(logits, j * vocab, (j + 1) * vocab);
        }
    }


    @Override
    public void close() {
        workers.shutdownNow();
    }
}
