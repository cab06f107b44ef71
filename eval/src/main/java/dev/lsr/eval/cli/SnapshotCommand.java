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
 * {@code lsr snapshot}: a consistent copy of a collection directory (its last commit, settings and
 * centring state, a SHA-256 per file in {@code snapshot.json}), the same snapshot
 * {@code POST /collections/{name}/snapshots} takes inside the service. The collection must not be
 * open in another process (the service holds its collections' write locks: use the REST call there).
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Snapshot a collection directory (last commit + settings + checksums), for 'lsr restore'.")
public final class SnapshotCommand implements Callable<Integer> {

    @Option(names = "--collection", required = true, paramLabel = "DIR", description = "the collection directory")
    Path collection;

    @Option(names = "--out", paramLabel = "DIR",
            description = "the snapshot directory to write (must not exist; default DIR/../.snapshots/<name>/<id>, where the service lists them)")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "write the report here")
    Path json;

    @Override
    public Integer call() {
        OutputPaths.checkFile("--json", json);
        long start = System.nanoTime();
        Path dir = collection.toAbsolutePath().normalize();
        String id = CollectionSnapshots.newId();
        Path target = out != null ? out.toAbsolutePath().normalize()
                : dir.resolveSibling(CollectionSnapshots.ROOT).resolve(dir.getFileName().toString()).resolve(id);
        CollectionSnapshots.Manifest m;
        long docs;
        try (Collection c = CliIndexErrors.call(() -> Collection.open(dir))) {
            docs = c.stats().docs();
            m = CliIndexErrors.call(() -> CollectionSnapshots.take(c, target, id));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("lsr snapshot: %s: %,d documents, %d files, %,d bytes in %.1f s -> %s%n",
                dir, docs, m.files().size(), m.bytes(), seconds, target);
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("snapshot", target.toString());
            report.put("id", m.id());
            report.put("collection", dir.toString());
            report.put("docs", docs);
            report.put("files", m.files().size());
            report.put("bytes", m.bytes());
            report.put("seconds", Math.round(seconds * 1000) / 1000.0);
            JsonReport.write(json, report);
        }
        return ExitCodes.OK;
    }
}
