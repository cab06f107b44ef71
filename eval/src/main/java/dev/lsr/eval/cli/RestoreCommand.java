package dev.lsr.eval.cli;

import dev.lsr.eval.report.JsonReport;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionSnapshots;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lsr restore}: verifies every file of a snapshot ({@code lsr snapshot}'s or the service's)
 * against its checksums, then makes it a new collection directory in one rename, and opens it once
 * to report its documents. A damaged snapshot or an existing target writes nothing.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a snapshot (from 'lsr snapshot' or POST /collections/{name}/snapshots) into a new collection directory.")
public final class RestoreCommand implements Callable<Integer> {

    @Option(names = "--snapshot", required = true, paramLabel = "DIR", description = "the snapshot directory (holds snapshot.json)")
    Path snapshot;

    @Option(names = "--collection", required = true, paramLabel = "DIR",
            description = "the new collection directory (must not exist; inside a service's data directory its name must be a valid collection name)")
    Path collection;

    @Option(names = "--json", paramLabel = "FILE", description = "write the report here")
    Path json;

    @Override
    public Integer call() {
        OutputPaths.checkFile("--json", json);
        long start = System.nanoTime();
        Path target = collection.toAbsolutePath().normalize();
        CollectionSnapshots.Manifest m = CliIndexErrors.call(() -> CollectionSnapshots.restore(snapshot, target));
        long docs;
        int segments;
        try (Collection c = CliIndexErrors.call(() -> Collection.open(target))) {
            docs = c.stats().docs();
            segments = c.stats().segments();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("lsr restore: snapshot %s of '%s' (%s): %,d documents in %d segments, %d files verified, %.1f s -> %s%n",
                m.id(), m.collection(), m.created(), docs, segments, m.files().size(), seconds, target);
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("collection", target.toString());
            report.put("snapshot", snapshot.toAbsolutePath().normalize().toString());
            report.put("id", m.id());
            report.put("source", m.collection());
            report.put("docs", docs);
            report.put("segments", segments);
            report.put("files", m.files().size());
            report.put("bytes", m.bytes());
            report.put("seconds", Math.round(seconds * 1000) / 1000.0);
            JsonReport.write(json, report);
        }
        return ExitCodes.OK;
    }
}
