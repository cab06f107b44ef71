package dev.lsr.index;

import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.WriterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Child JVM of {@link CrashSafetyTest}: indexes and commits in a loop, printing the ids of each
 * batch only after its commit returned ("ACK id id ..."), until it is killed.
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String run = args[1];
        CollectionSettings settings = CollectionSettings.defaults().withDim(TestVectors.DIM).withRefreshIntervalMs(0)
                .withWriter(new WriterSettings(null, 40, true));
        Collection c = Files.exists(dir.resolve("collection.json")) ? Collection.open(dir) : Collection.create(dir, settings);
        SplittableRandom rnd = new SplittableRandom(run.hashCode());
        System.out.println("READY");
        System.out.flush();
        for (int batch = 0; ; batch++) {
            List<Document> docs = new ArrayList<>();
            StringBuilder ack = new StringBuilder("ACK");
            for (int i = 0; i < 25; i++) {
                String id = run + "-" + batch + "-" + i;
                docs.add(new Document(id, null, "crash test " + id, Map.of("run", run), TestVectors.random(rnd, 20)));
                ack.append(' ').append(id);
            }
            c.upsert(docs);
            c.commit();
            System.out.println(ack);
            System.out.flush();
        }
    }
}
