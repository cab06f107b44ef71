package dev.lsr.index.settings;

/**
 * Lucene writer tuning. {@code maxBufferedDocs} 0 means "flush by RAM only"; {@code merges} false
 * keeps every flushed segment (benchmarks and tests of many-segment behaviour);
 * forced merges still run.
 */
public record WriterSettings(Double ramBufferMb, Integer maxBufferedDocs, Boolean merges) {

    public WriterSettings {
        ramBufferMb = SettingsCheck.between("writer.ramBufferMb", ramBufferMb, 256.0, 1.0, 2048.0);
        maxBufferedDocs = SettingsCheck.atLeast("writer.maxBufferedDocs", maxBufferedDocs, 0, 0);
        if (maxBufferedDocs == 1) {
            throw new dev.lsr.index.InvalidSettingsException("setting 'writer.maxBufferedDocs' must be 0 or >= 2, was 1");
        }
        merges = merges == null || merges;
    }

    public static WriterSettings defaults() {
        return new WriterSettings(null, null, null);
    }
}
