package dev.lsr.eval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.eval.index.InputDocuments;
import dev.lsr.index.Collection;
import dev.lsr.index.Hit;
import dev.lsr.index.SearchRequest;
import dev.lsr.seismic.SparseVector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lsr snapshot} of a collection with Seismic segments, {@code lsr restore} into a new
 * directory: the restored collection answers exact and approximate queries with the same hits and
 * scores. Bad paths, a damaged snapshot, an existing target and a collection held by another
 * writer are exit 2 with one line naming the path or file, and leave nothing behind.
 */
class SnapshotRestoreCommandTest {

    @TempDir
    Path tmp;

    record Result(int code, String err) {}

    static Result run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.run(args), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void snapshotThenRestoreAnswersIdentically() throws Exception {
        Path src = tmp.resolve("data/notes");
        assertThat(run("index", "--collection", src.toString(), "--input", "synthetic:3000:4", "--exact-segment-max-docs", "500",
                "--max-buffered-docs", "1000", "--no-merges").code()).isZero();

        Path report = tmp.resolve("snap.json");
        Result snap = run("snapshot", "--collection", src.toString(), "--json", report.toString());
        assertThat(snap.code()).as(snap.err()).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(report.toFile());
        Path snapDir = Path.of(r.get("snapshot").stringValue());
        // Default place: beside the collection, where the service lists a data directory's snapshots.
        assertThat(snapDir.getParent()).isEqualTo(tmp.resolve("data/.snapshots/notes").toAbsolutePath());
        assertThat(snapDir.getFileName().toString()).isEqualTo(r.get("id").stringValue());
        assertThat(snapDir.resolve("snapshot.json")).exists();
        assertThat(r.get("docs").asLong()).isEqualTo(3000);

        Path restored = tmp.resolve("elsewhere/notes-copy");
        Path report2 = tmp.resolve("restore.json");
        Result rest = run("restore", "--snapshot", snapDir.toString(), "--collection", restored.toString(), "--json", report2.toString());
        assertThat(rest.code()).as(rest.err()).isZero();
        JsonNode r2 = JsonMapper.builder().build().readTree(report2.toFile());
        assertThat(r2.get("docs").asLong()).isEqualTo(3000);
        assertThat(r2.get("source").stringValue()).isEqualTo("notes");
        assertThat(r2.get("segments").asInt()).isEqualTo(3);

        List<SparseVector> queries = InputDocuments.queries("synthetic:100:9", null, 30522);
        try (Collection a = Collection.open(src); Collection b = Collection.open(restored)) {
            assertThat(b.stats().seismicSegments()).isEqualTo(3);
            int differ = 0;
            for (SparseVector q : queries) {
                List<Hit> approx = a.search(SearchRequest.sparse(q, 10)).hits();
                List<Hit> exact = a.search(SearchRequest.exact(q, 10)).hits();
                assertThat(b.search(SearchRequest.sparse(q, 10)).hits()).isEqualTo(approx);
                assertThat(b.search(SearchRequest.exact(q, 10)).hits()).isEqualTo(exact);
                assertThat(approx).isNotEmpty();
                differ += ids(approx).equals(ids(exact)) ? 0 : 1;
            }
            System.out.printf("SnapshotRestoreCommandTest: 100 queries identical on the restored collection (%d of them approximate != exact)%n", differ);
        }
    }

    @Test
    void badInputIsExitTwoNamingThePath() throws Exception {
        Path src = tmp.resolve("c");
        assertThat(run("index", "--collection", src.toString(), "--input", "synthetic:200:1", "--dim", "30522").code()).isZero();

        Path missing = tmp.resolve("no-such-collection");
        assertOneLine(run("snapshot", "--collection", missing.toString()), missing.toString());
        Path notACollection = Files.createDirectories(tmp.resolve("empty"));
        assertOneLine(run("snapshot", "--collection", notACollection.toString()), "collection.json");

        Path snap = tmp.resolve("snap");
        assertThat(run("snapshot", "--collection", src.toString(), "--out", snap.toString()).code()).isZero();
        assertOneLine(run("snapshot", "--collection", src.toString(), "--out", snap.toString()), snap.toString());

        assertOneLine(run("restore", "--snapshot", tmp.resolve("no-snap").toString(), "--collection", tmp.resolve("r1").toString()),
                "snapshot.json");
        assertThat(tmp.resolve("r1")).doesNotExist();
        assertOneLine(run("restore", "--snapshot", snap.toString(), "--collection", src.toString()), src.toString());

        // A collection another writer holds (the service would) is refused, pointing at the REST call.
        try (Collection held = Collection.open(src)) {
            Result locked = run("snapshot", "--collection", src.toString(), "--out", tmp.resolve("snap2").toString());
            assertOneLine(locked, "POST /collections/");
            assertThat(held.stats().docs()).isEqualTo(200);
        }
        assertThat(tmp.resolve("snap2")).doesNotExist();

        // A flipped byte in the largest file: refused naming it, nothing created.
        Path victim;
        try (Stream<Path> files = Files.walk(snap.resolve("index"))) {
            victim = files.filter(Files::isRegularFile).max((x, y) -> Long.compare(x.toFile().length(), y.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 1;
        Files.write(victim, bytes);
        Path r2 = tmp.resolve("r2");
        assertOneLine(run("restore", "--snapshot", snap.toString(), "--collection", r2.toString()), "index/" + victim.getFileName());
        assertThat(r2).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".restoring-"));
        }

        // A missing required option is a usage error, also exit 2.
        assertThat(run("restore", "--snapshot", snap.toString()).code()).isEqualTo(2);
    }

    private static void assertOneLine(Result r, String names) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).contains(names).doesNotContain("Exception");
        System.out.println("SnapshotRestoreCommandTest: exit 2: " + err);
    }

    private static List<String> ids(List<Hit> hits) {
        List<String> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.id()));
        return out;
    }
}
