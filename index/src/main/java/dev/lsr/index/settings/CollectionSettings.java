package dev.lsr.index.settings;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lsr.index.InvalidSettingsException;

/**
 * Everything {@code collection.json} configures. Every component may be omitted (or {@code null})
 * in JSON and gets its default; unknown keys are rejected by {@link SettingsJson}.
 *
 * @param model the model name the api/eval layers encode text with; opaque to this module, may
 *     be absent for collections that only take vectors
 * @param dim vocabulary size: term ids must lie in {@code [0, dim)}
 * @param exactSegmentMaxDocs segments with fewer documents get no Seismic structure and are
 *     searched exactly
 * @param filterExactMaxDocs a filtered search scores the passing documents of a segment exactly
 *     when at most this many pass
 * @param filterExactFraction ... or when at most this fraction of the segment's live documents pass
 * @param refreshIntervalMs how often new writes become visible to searches; 0 = only on
 *     {@code refresh()}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CollectionSettings(
        String model,
        Integer dim,
        SeismicSettings seismic,
        SearchSettings search,
        @JsonProperty("exact_segment_max_docs") @JsonAlias("exactSegmentMaxDocs") Integer exactSegmentMaxDocs,
        @JsonProperty("filter_exact_max_docs") @JsonAlias("filterExactMaxDocs") Integer filterExactMaxDocs,
        @JsonProperty("filter_exact_fraction") @JsonAlias("filterExactFraction") Double filterExactFraction,
        Bm25Settings bm25,
        @JsonProperty("refresh_interval_ms") @JsonAlias("refreshIntervalMs") Long refreshIntervalMs,
        WriterSettings writer) {

    public static final int DEFAULT_DIM = 30522;

    public CollectionSettings {
        if (model != null && model.isBlank()) {
            throw new InvalidSettingsException("setting 'model' must not be blank (omit it for a vectors-only collection)");
        }
        dim = SettingsCheck.atLeast("dim", dim, DEFAULT_DIM, 1);
        seismic = seismic == null ? SeismicSettings.defaults() : seismic;
        search = search == null ? SearchSettings.defaults() : search;
        exactSegmentMaxDocs = SettingsCheck.atLeast("exact_segment_max_docs", exactSegmentMaxDocs, 5000, 0);
        filterExactMaxDocs = SettingsCheck.atLeast("filter_exact_max_docs", filterExactMaxDocs, 10_000, 0);
        filterExactFraction = SettingsCheck.between("filter_exact_fraction", filterExactFraction, 0.15, 0.0, 1.0);
        bm25 = bm25 == null ? Bm25Settings.defaults() : bm25;
        refreshIntervalMs = SettingsCheck.atLeast("refresh_interval_ms", refreshIntervalMs, 1000L, 0L);
        writer = writer == null ? WriterSettings.defaults() : writer;
    }

    /** All defaults, no model (vectors only). */
    public static CollectionSettings defaults() {
        return new CollectionSettings(null, null, null, null, null, null, null, null, null, null);
    }

    public CollectionSettings withModel(String m) {
        return new CollectionSettings(m, dim, seismic, search, exactSegmentMaxDocs, filterExactMaxDocs,
                filterExactFraction, bm25, refreshIntervalMs, writer);
    }

    public CollectionSettings withDim(int d) {
        return new CollectionSettings(model, d, seismic, search, exactSegmentMaxDocs, filterExactMaxDocs,
                filterExactFraction, bm25, refreshIntervalMs, writer);
    }

    public CollectionSettings withSeismic(SeismicSettings s) {
        return new CollectionSettings(model, dim, s, search, exactSegmentMaxDocs, filterExactMaxDocs,
                filterExactFraction, bm25, refreshIntervalMs, writer);
    }

    public CollectionSettings withSearch(SearchSettings s) {
        return new CollectionSettings(model, dim, seismic, s, exactSegmentMaxDocs, filterExactMaxDocs,
                filterExactFraction, bm25, refreshIntervalMs, writer);
    }

    public CollectionSettings withExactSegmentMaxDocs(int n) {
        return new CollectionSettings(model, dim, seismic, search, n, filterExactMaxDocs,
                filterExactFraction, bm25, refreshIntervalMs, writer);
    }

    public CollectionSettings withFilterExact(int maxDocs, double fraction) {
        return new CollectionSettings(model, dim, seismic, search, exactSegmentMaxDocs, maxDocs,
                fraction, bm25, refreshIntervalMs, writer);
    }

    public CollectionSettings withBm25(Bm25Settings b) {
        return new CollectionSettings(model, dim, seismic, search, exactSegmentMaxDocs, filterExactMaxDocs,
                filterExactFraction, b, refreshIntervalMs, writer);
    }

    public CollectionSettings withRefreshIntervalMs(long ms) {
        return new CollectionSettings(model, dim, seismic, search, exactSegmentMaxDocs, filterExactMaxDocs,
                filterExactFraction, bm25, ms, writer);
    }

    public CollectionSettings withWriter(WriterSettings w) {
        return new CollectionSettings(model, dim, seismic, search, exactSegmentMaxDocs, filterExactMaxDocs,
                filterExactFraction, bm25, refreshIntervalMs, w);
    }
}
