package dev.lsr.engine;

import dev.lsr.index.settings.CollectionSettings;

/**
 * What a new collection is made of. Start from {@link #defaultModel()}, {@link #model(String)} or
 * {@link #vectorsOnly()}.
 *
 * @param model a model name or path; null with {@code noModel} false: the engine's default model
 * @param noModel no model: documents and queries come with vectors (or search by BM25)
 * @param settings index settings ({@code dim} is taken from the model's vocabulary when left at
 *     the default); null: {@link CollectionSettings#defaults()}
 * @param centringPercentile fit per-term centring offsets at this percentile on the collection's
 *     first documents; null: the model's recommendation ({@code centring_percentile}); 0: none
 * @param termOffsets centring offsets already fitted on this collection's documents (as
 *     {@code lsr beir} fits them on the whole corpus); null: fit them as documents arrive
 */
public record NewCollection(String model, boolean noModel, CollectionSettings settings, Double centringPercentile,
        float[] termOffsets) {

    public static NewCollection defaultModel() {
        return new NewCollection(null, false, null, null, null);
    }

    public static NewCollection model(String nameOrPath) {
        return new NewCollection(nameOrPath, false, null, null, null);
    }

    public static NewCollection vectorsOnly() {
        return new NewCollection(null, true, null, null, null);
    }

    public NewCollection withSettings(CollectionSettings s) {
        return new NewCollection(model, noModel, s, centringPercentile, termOffsets);
    }

    public NewCollection withCentringPercentile(Double p) {
        return new NewCollection(model, noModel, settings, p, termOffsets);
    }

    /** Offsets fitted at {@code percentile} on this collection's documents. */
    public NewCollection withTermOffsets(float[] offsets, double percentile) {
        return new NewCollection(model, noModel, settings, percentile, offsets.clone());
    }
}
