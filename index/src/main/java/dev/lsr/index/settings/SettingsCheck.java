package dev.lsr.index.settings;

import dev.lsr.index.InvalidSettingsException;

final class SettingsCheck {
    private SettingsCheck() {}

    static int atLeast(String key, Integer value, int dflt, int min) {
        int v = value == null ? dflt : value;
        if (v < min) {
            throw new InvalidSettingsException("setting '" + key + "' must be >= " + min + ", was " + v);
        }
        return v;
    }

    static long atLeast(String key, Long value, long dflt, long min) {
        long v = value == null ? dflt : value;
        if (v < min) {
            throw new InvalidSettingsException("setting '" + key + "' must be >= " + min + ", was " + v);
        }
        return v;
    }

    static double between(String key, Double value, double dflt, double min, double max) {
        double v = value == null ? dflt : value;
        if (!(v >= min && v <= max)) {
            throw new InvalidSettingsException(
                    "setting '" + key + "' must be in [" + min + ", " + max + "], was " + v);
        }
        return v;
    }
}
