package dev.lsr.index.settings;

/**
 * Seismic build parameters, applied to every segment at flush and merge: each term's posting
 * list keeps its {@code postingsPerTerm} highest-weight entries, split into about
 * {@code blockFraction x postingsPerTerm} blocks, each summarised by the entries holding
 * {@code summaryEnergy} of its mass.
 */
public record SeismicSettings(Integer postingsPerTerm, Double blockFraction, Double summaryEnergy) {

    public SeismicSettings {
        postingsPerTerm = SettingsCheck.atLeast("seismic.postingsPerTerm", postingsPerTerm, 4000, 1);
        blockFraction = SettingsCheck.between("seismic.blockFraction", blockFraction, 0.1, 1e-6, 1.0);
        summaryEnergy = SettingsCheck.between("seismic.summaryEnergy", summaryEnergy, 0.4, 1e-6, 1.0);
    }

    public static SeismicSettings defaults() {
        return new SeismicSettings(null, null, null);
    }
}
