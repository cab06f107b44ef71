package dev.lsr.engine;

import dev.lsr.encoder.model.ImportProgress;
import dev.lsr.encoder.model.ModelRegistry;

/**
 * How an {@link Engine} runs.
 *
 * @param defaultModel the model a collection gets when it names none: a model name under the data
 *     directory ({@value ModelRegistry#DEFAULT_MODEL} is imported on first use), a model directory or
 *     an ONNX export; null: collections that name no model take vectors only
 * @param encoderThreads ONNX Runtime and head threads per loaded model (0 = all cores)
 * @param centringFitDocs a collection whose model recommends corpus centring (and ships no fitted
 *     offsets) fits them on its first this-many documents, then re-encodes those
 * @param progress reports model imports and downloads (the default model's first start)
 * @param searchThreads threads besides the caller's on which one search's segments run
 *     concurrently (0: each search on its caller's thread only); the hits are those of the
 *     sequential search either way
 * @param commitIntervalMs every open collection that changed is committed this often, so that
 *     writes are durable within it without an explicit commit (0: only explicit commits and close)
 */
public record EngineOptions(String defaultModel, int encoderThreads, int centringFitDocs, ImportProgress progress,
        int searchThreads, long commitIntervalMs) {

    /**
     * How often an engine commits its changed collections unless told otherwise: a crash loses at
     * most this much of the writes that were not committed explicitly.
     */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 15_000;

    /** Segments searched one after the other on the caller's thread. */
    public EngineOptions(String defaultModel, int encoderThreads, int centringFitDocs, ImportProgress progress) {
        this(defaultModel, encoderThreads, centringFitDocs, progress, 0);
    }

    /** Changed collections committed every {@value #DEFAULT_COMMIT_INTERVAL_MS} ms. */
    public EngineOptions(String defaultModel, int encoderThreads, int centringFitDocs, ImportProgress progress,
            int searchThreads) {
        this(defaultModel, encoderThreads, centringFitDocs, progress, searchThreads, DEFAULT_COMMIT_INTERVAL_MS);
    }

    /**
     * Documents a collection's centring offsets are fitted on unless told otherwise. A 90th
     * percentile per term from 256 documents (the 26th largest) is noisy: on SciFact train (q8
     * documents, `lsr beir --centring-fit-docs N` from cached logits, eval/RESULTS.md) the default
     * request scored nDCG@10 0.6961 fitted on the first 256 abstracts, 0.6989 on 512, 0.7018 on
     * 1,024, 0.7004 on 2,048 and 0.7007 on all 5,183. The logits of the documents waiting for the
     * fit stay in memory until then: 1,024 x vocabulary x 4 bytes (125 MB for BERT's 30,522).
     */
    public static final int DEFAULT_CENTRING_FIT_DOCS = 1024;

    public EngineOptions {
        if (encoderThreads < 0) {
            throw new IllegalArgumentException("encoderThreads must be >= 0, was " + encoderThreads);
        }
        if (searchThreads < 0) {
            throw new IllegalArgumentException("searchThreads must be >= 0, was " + searchThreads);
        }
        if (commitIntervalMs < 0) {
            throw new IllegalArgumentException("commitIntervalMs must be >= 0, was " + commitIntervalMs);
        }
        if (centringFitDocs < 1) {
            throw new IllegalArgumentException("centringFitDocs must be >= 1, was " + centringFitDocs);
        }
        progress = progress == null ? ImportProgress.NONE : progress;
        defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel;
    }

    /**
     * The default model {@value ModelRegistry#DEFAULT_MODEL}, all cores, fitting centring on
     * {@value #DEFAULT_CENTRING_FIT_DOCS} documents, changed collections committed every
     * {@value #DEFAULT_COMMIT_INTERVAL_MS} ms, no progress output.
     */
    public static EngineOptions defaults() {
        return new EngineOptions(ModelRegistry.DEFAULT_MODEL, 0, DEFAULT_CENTRING_FIT_DOCS, ImportProgress.NONE);
    }

    /** @param model a model name or path; null: no default model (vectors only unless a collection names one) */
    public EngineOptions withDefaultModel(String model) {
        return new EngineOptions(model, encoderThreads, centringFitDocs, progress, searchThreads, commitIntervalMs);
    }

    public EngineOptions withEncoderThreads(int n) {
        return new EngineOptions(defaultModel, n, centringFitDocs, progress, searchThreads, commitIntervalMs);
    }

    public EngineOptions withCentringFitDocs(int n) {
        return new EngineOptions(defaultModel, encoderThreads, n, progress, searchThreads, commitIntervalMs);
    }

    public EngineOptions withSearchThreads(int n) {
        return new EngineOptions(defaultModel, encoderThreads, centringFitDocs, progress, n, commitIntervalMs);
    }

    /** @param ms how often changed collections are committed; 0: only explicit commits and close */
    public EngineOptions withCommitIntervalMs(long ms) {
        return new EngineOptions(defaultModel, encoderThreads, centringFitDocs, progress, searchThreads, ms);
    }

    public EngineOptions withProgress(ImportProgress p) {
        return new EngineOptions(defaultModel, encoderThreads, centringFitDocs, p, searchThreads, commitIntervalMs);
    }
}
