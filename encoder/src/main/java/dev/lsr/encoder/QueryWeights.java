package dev.lsr.encoder;

import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A token -> weight table for inference-free query encoding: a query's vector is the table's weight
 * of each distinct piece it contains. Immutable.
 */
public final class QueryWeights {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final float[] weights;

    private QueryWeights(float[] weights) {
        this.weights = weights;
    }

    public static QueryWeights of(float[] weights) {
        return new QueryWeights(weights.clone());
    }

    /**
     * BM25-style IDF, {@code ln(1 + (N - df + 0.5) / (df + 0.5))}, from the document frequency of each
     * term id in a collection of {@code nDocs} documents; terms that occur in no document weigh 0.
     */
    public static QueryWeights fromDocumentFrequencies(int[] df, long nDocs) {
        return fromDocumentFrequencies(df, nDocs, 1.0);
    }

    /**
     * {@code idf^power}: a power above 1 leans harder on rare terms (a model's
     * {@code query_idf_power}, chosen per model on an evaluation set).
     */
    public static QueryWeights fromDocumentFrequencies(int[] df, long nDocs, double power) {
        if (!(power > 0) || Double.isInfinite(power)) {
            throw new IllegalArgumentException("IDF power must be a positive number, got " + power);
        }
        if (nDocs <= 0) {
            throw new IllegalArgumentException("nDocs must be positive, got " + nDocs);
        }
        float[] w = new float[df.length];
        for (int i = 0; i < df.length; i++) {
            if (df[i] < 0 || df[i] > nDocs) {
                throw new IllegalArgumentException("df[" + i + "] = " + df[i] + " outside 0.." + nDocs);
            }
            double idf = Math.log(1 + (nDocs - df[i] + 0.5) / (df[i] + 0.5));
            w[i] = df[i] == 0 ? 0f : (float) (power == 1.0 ? idf : Math.pow(idf, power));
        }
        return new QueryWeights(w);
    }

    /** Reads {@code query_weights.json}: {@code {"token": weight, ...}}; unknown tokens are refused. */
    public static QueryWeights read(Path file, Vocabulary vocab) throws IOException {
        Map<String, Double> map;
        try {
            map = JSON.readValue(file.toFile(), JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Double.class));
        } catch (JacksonException e) {
            throw new IOException(file + ": expected {\"token\": weight, ...}: " + e.getOriginalMessage(), e);
        }
        float[] w = new float[vocab.size()];
        for (Map.Entry<String, Double> e : map.entrySet()) {
            int id = vocab.id(e.getKey()).orElseThrow(() -> new IOException(file + ": token '" + e.getKey() + "' is not in the vocabulary"));
            if (e.getValue() == null || !Double.isFinite(e.getValue()) || e.getValue() < 0) {
                throw new IOException(file + ": weight of '" + e.getKey() + "' must be a finite number >= 0");
            }
            w[id] = e.getValue().floatValue();
        }
        return new QueryWeights(w);
    }

    public void write(Path file, Vocabulary vocab) throws IOException {
        Map<String, Float> map = new LinkedHashMap<>();
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                map.put(vocab.token(i), weights[i]);
            }
        }
        Files.writeString(file, JSON.writeValueAsString(map));
    }

    public int size() {
        return weights.length;
    }

    public float weight(int termId) {
        return termId >= 0 && termId < weights.length ? weights[termId] : 0f;
    }
}
