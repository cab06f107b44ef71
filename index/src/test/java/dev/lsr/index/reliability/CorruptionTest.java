package dev.lsr.index.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lsr.index.Collection;
import dev.lsr.index.Collections;
import dev.lsr.index.Hit;
import dev.lsr.index.IndexException;
import dev.lsr.index.SearchRequest;
import dev.lsr.index.settings.CollectionSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One byte flipped in any file of a collection's index is refused when the collection is opened,
 * with a message naming the damaged file, while another collection of the same data directory
 * keeps answering searches exactly as before.
 */
class CorruptionTest {

    private static final long SEED = 11;

    @TempDir
    Path tmp;

    @Test
    void flippedByteIsDetectedOnOpenAndOtherCollectionsKeepServing() throws Exception {
        Path pristine = tmp.resolve("pristine");
        CollectionSettings settings = CollectionSettings.defaults().withDim(RandomDocs.DIM).withRefreshIntervalMs(0)
                .withExactSegmentMaxDocs(100); // small segments still get a Seismic structure
        List<List<String>> baseline;
        try (Collections collections = Collections.open(pristine)) {
            for (String name : List.of("good", "bad")) {
                Collection c = collections.create(name, settings);
                c.upsert(RandomDocs.documents(SEED, 0, 300));
                c.commit();
                c.upsert(RandomDocs.documents(SEED, 300, 300)); // a second segment
                c.commit();
            }
            baseline = searchGood(collections);
        }

        List<Path> files;
        try (Stream<Path> s = Files.list(pristine.resolve("bad").resolve("index"))) {
            files = s.filter(p -> !p.getFileName().toString().equals("write.lock")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<String> report = new ArrayList<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            Path data = tmp.resolve("case-" + fileName);
            copyTree(pristine, data);
            long pos = flipOneByte(data.resolve("bad").resolve("index").resolve(fileName), rnd);
            try (Collections collections = Collections.open(data)) {
                Throwable t = catchThrowable(() -> {
                    Collection bad = collections.get("bad");
                    bad.refresh();
                });
                assertThat(t).as("flipped byte %d of %s must be refused on open", pos, fileName)
                        .isInstanceOf(IndexException.class).hasMessageContaining(fileName);
                report.add(fileName + "@" + pos);
                assertThat(searchGood(collections)).as("'good' unchanged while '%s' is corrupt", fileName).isEqualTo(baseline);
                assertThat(collections.get("good").stats().docs()).isEqualTo(600);
            }
        }
        System.out.println("CorruptionTest: refused on open with the file named, other collection serving: " + report);
    }

    private static List<List<String>> searchGood(Collections collections) {
        Collection good = collections.get("good");
        good.refresh();
        List<List<String>> out = new ArrayList<>();
        for (int q = 0; q < 5; q++) {
            List<String> ids = new ArrayList<>();
            for (Hit h : good.search(SearchRequest.exact(RandomDocs.vector(SEED + 1, q), 10)).hits()) {
                ids.add(h.id() + ":" + h.score());
            }
            out.add(ids);
        }
        return out;
    }

    private static long flipOneByte(Path file, SplittableRandom rnd) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = rnd.nextLong(ch.size());
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            ch.write(b.rewind(), pos);
            return pos;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("write.lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
