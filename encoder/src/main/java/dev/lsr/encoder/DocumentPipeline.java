package dev.lsr.encoder;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Document encoding in windows, with the tokenisation of the next window overlapped with the model
 * run of the current one: {@link #submit} hands a window to one helper thread, which tokenises it
 * while the caller runs {@link #encode} on an earlier window. The vectors are exactly those of
 * {@link SparseEncoder#encodeDocumentBatch(List, IntConsumer)} on each window (same tokens, same
 * length buckets, same model runs). Tokenisation is a small share of document time (about 0.8 ms
 * per ~240-token abstract against ~250 ms in the model on this machine), so what this buys is that
 * share, and a window's tokens are ready the moment the model finishes the one before.
 *
 * <p>Not thread-safe: one caller submits and encodes, in order.
 */
public final class DocumentPipeline implements AutoCloseable {

    /** A window whose tokens are being made (or are made) on the helper thread. */
    public static final class Pending {
        private final Future<TokenizedDocuments> tokens;
        private final int size;

        private Pending(Future<TokenizedDocuments> tokens, int size) {
            this.tokens = tokens;
            this.size = size;
        }

        /** Number of texts in the window. */
        public int size() {
            return size;
        }
    }

    private final SparseEncoder encoder;
    private final ExecutorService tokenizer;

    public DocumentPipeline(SparseEncoder encoder) {
        this.encoder = encoder;
        this.tokenizer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lsr-tokenize");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts tokenising {@code texts} (copied) on the helper thread. */
    public Pending submit(List<String> texts) {
        List<String> copy = List.copyOf(texts.stream().map(t -> t == null ? "" : t).toList());
        return new Pending(tokenizer.submit(() -> encoder.tokenizeDocuments(copy)), copy.size());
    }

    /** Waits for the window's tokens and runs the model on them, on the calling thread. */
    public EncodedBatch encode(Pending window, IntConsumer progress) {
        return encoder.encodeDocumentBatch(tokens(window), progress);
    }

    /**
     * Waits for the window's tokens, for a caller that runs the model itself (for max logits, or
     * through another view of the same model: the tokens are the model's, whatever its options).
     */
    public TokenizedDocuments tokens(Pending window) {
        try {
            return window.tokens.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a window's tokens", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("tokenising a window failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        tokenizer.shutdownNow();
    }
}
