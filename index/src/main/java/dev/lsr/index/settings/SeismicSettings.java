package dev.lsr.index.settings;

import dev.lsr.index.InvalidSettingsException;
import java.util.Locale;

/**
 * Seismic build parameters, applied to every segment at flush and merge (names and meaning as in
 * seismic-blocks' {@code BuildParams}): posting lists are statically pruned ({@code pruning}
 * "global": a budget of {@code nPostings x dim} postings with at most {@code maxFraction x nPostings}
 * per list; "fixed": the {@code nPostings} largest of each list), cut into
 * {@code centroidFraction x length} blocks (clusters under {@code minClusterSize} dissolved,
 * documents assigned on their {@code docCut} top terms), each summarised by the entries holding
 * {@code summaryAlpha} of its mass; {@code kappa} kNN neighbours per document (0 = none);
 * {@code threads} 0 = all cores; {@code weightEncoding} "f16" or "u8" for the forward index
 * (scores reported are always recomputed from the stored float vectors).
 */
public record SeismicSettings(String pruning, Integer nPostings, Double maxFraction, Double centroidFraction,
        Integer minClusterSize, Integer docCut, Double summaryAlpha, Integer kappa, Integer threads, Long seed,
        String weightEncoding) {

    public SeismicSettings {
        pruning = oneOf("seismic.pruning", pruning, "global", "global", "fixed");
        nPostings = SettingsCheck.atLeast("seismic.nPostings", nPostings, 1200, 1);
        maxFraction = SettingsCheck.between("seismic.maxFraction", maxFraction, 1.5, 1.0, 1e6);
        centroidFraction = SettingsCheck.between("seismic.centroidFraction", centroidFraction, 0.05, 1e-9, 1.0);
        minClusterSize = SettingsCheck.atLeast("seismic.minClusterSize", minClusterSize, 2, 1);
        docCut = SettingsCheck.atLeast("seismic.docCut", docCut, 12, 1);
        summaryAlpha = SettingsCheck.between("seismic.summaryAlpha", summaryAlpha, 0.4, 1e-9, 1.0);
        kappa = SettingsCheck.atLeast("seismic.kappa", kappa, 0, 0);
        threads = SettingsCheck.atLeast("seismic.threads", threads, 0, 0);
        seed = seed == null ? 42L : seed;
        weightEncoding = oneOf("seismic.weightEncoding", weightEncoding, "f16", "f16", "u8");
    }

    private static String oneOf(String key, String value, String dflt, String... allowed) {
        if (value == null) {
            return dflt;
        }
        String v = value.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new InvalidSettingsException("setting '" + key + "' must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
    }

    public static SeismicSettings defaults() {
        return new SeismicSettings(null, null, null, null, null, null, null, null, null, null, null);
    }
}
