package dev.lsr.index.settings;

/**
 * Default approximate-search parameters: only the {@code queryCut} highest-weight query terms
 * select posting lists, and a block is evaluated when its summary score exceeds
 * {@code heapFactor} times the current k-th best score. A request may override both.
 */
public record SearchSettings(Integer queryCut, Double heapFactor) {

    public SearchSettings {
        queryCut = SettingsCheck.atLeast("search.queryCut", queryCut, 10, 1);
        heapFactor = SettingsCheck.between("search.heapFactor", heapFactor, 0.7, 0.0, 1.0);
    }

    public static SearchSettings defaults() {
        return new SearchSettings(null, null);
    }
}
