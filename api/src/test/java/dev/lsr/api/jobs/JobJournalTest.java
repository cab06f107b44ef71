package dev.lsr.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class JobJournalTest {

    @TempDir
    Path data;

    /** A job recorded before jobs counted truncated documents still loads, with none counted. */
    @Test
    void readsAJournalWrittenBeforeTruncatedWasRecorded() throws Exception {
        Path dir = Files.createDirectories(data.resolve("c").resolve(JobJournal.DIR));
        Files.writeString(dir.resolve("j1.json"), """
                {"job": {"id": "j1", "collection": "c", "state": "running", "total": 10, "processed": 4,
                 "indexed": 4, "failed": 0, "progress": 0.4, "errors": [], "errors_truncated": false,
                 "created": "2026-12-05T05:00:00Z", "started": "2026-12-05T05:00:01Z"},
                 "refresh": false, "commit": true}
                """);
        List<JobJournal.Entry> entries = new JobJournal(data, JsonMapper.builder().build()).entries("c");
        assertThat(entries).hasSize(1);
        Job.Snapshot s = new Job(entries.get(0).job(), 10).snapshot();
        assertThat(s.processed()).isEqualTo(4);
        assertThat(s.truncated()).isZero();
        assertThat(s.truncatedIds()).isEmpty();
    }
}
