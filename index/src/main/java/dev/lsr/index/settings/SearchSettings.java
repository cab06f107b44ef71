package dev.lsr.index.settings;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.seismic.search.SearchParams;

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
        SearchParams d = SearchParams.defaults();
        queryCut = SettingsCheck.atLeast("search.query_cut", queryCut, d.queryCut(), 1);
        // The float's shortest decimal (0.8, not the widened 0.800000011920929), as collection.json shows it.
        heapFactor = SettingsCheck.between("search.heap_factor", heapFactor, Double.parseDouble(Float.toString(d.heapFactor())), 0.0, 1.0);
        knn = knn == null || knn;
    }

    public static SearchSettings defaults() {
        return new SearchSettings(null, null, null);
    }
}
