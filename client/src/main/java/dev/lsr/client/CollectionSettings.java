package dev.lsr.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a new collection: which model encodes its text (the service's default model, a named
 * or imported one, or none for a vectors-only collection) and any other key of the index's
 * {@code collection.json} settings ({@code seismic}, {@code search}, {@code bm25},
 * {@code refreshIntervalMs}, ...), which the server validates.
 */
public final class CollectionSettings {

    private final Map<String, Object> json;

    private CollectionSettings(Map<String, Object> json) {
        this.json = json;
    }

    /** Text is encoded with the service's default model ({@code lsr.default-model}). */
    public static CollectionSettings defaultModel() {
        return new CollectionSettings(Map.of());
    }

    /** Text is encoded with this model: an imported model's name, or a model directory / ONNX export path on the server. */
    public static CollectionSettings model(String model) {
        return new CollectionSettings(Map.of("model", Objects.requireNonNull(model, "model")));
    }

    /** No model: documents and queries bring their vectors (term ids below {@code dim}); BM25 still searches text. */
    public static CollectionSettings vectorsOnly(int dim) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", null);
        m.put("dim", dim);
        return new CollectionSettings(Collections.unmodifiableMap(m));
    }

    /** These settings plus {@code key: value} (e.g. {@code with("refresh_interval_ms", 200)}). */
    public CollectionSettings with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(json);
        m.put(Objects.requireNonNull(key, "key"), value);
        return new CollectionSettings(Collections.unmodifiableMap(m));
    }

    /** The JSON object sent as the body of {@code PUT /collections/{name}}. */
    public Map<String, Object> toJson() {
        return json;
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
