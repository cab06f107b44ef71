package dev.lsr.index.settings;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Default approximate-search parameters (seismic-blocks' {@code SearchParams}): only the
 * {@code queryCut} highest-weight query terms select posting lists; once the top-k heap is full a
 * block is skipped when its summary score is below {@code heapFactor} times the k-th best score
 * (0 visits every block); {@code knn} expands candidates through the kNN graph when segments have
 * one. A request may override {@code queryCut} and {@code heapFactor}.
 */
public record SearchSettings(
        @JsonProperty("query_cut") @JsonAlias("queryCut") Integer queryCut,
        @JsonProperty("heap_factor") @JsonAlias("heapFactor") Double heapFactor,
        Boolean knn) {

    public SearchSettings {
        queryCut = SettingsCheck.atLeast("search.query_cut", queryCut, dev.lsr.seismic.search.SearchParams.defaults().queryCut(), 1);
        heapFactor = SettingsCheck.between("search.heap_factor", heapFactor, (double) dev.lsr.seismic.search.SearchParams.defaults().heapFactor(), 0.0, 1.0);
        knn = knn == null || knn;
    }

    public static SearchSettings defaults() {
        return new SearchSettings(null, null, null);
    }
}
