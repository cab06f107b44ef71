package dev.lsr.api.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import dev.lsr.api.config.LsrProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A snapshot of a collection taken while a client keeps writing to it (small segments, so flushes
 * and merges run throughout) restores into a new collection that answers 200 queries, exact and
 * approximate, with the same ids and scores the source gave just before the snapshot. The writer's
 * documents use other terms than the queries, so the source's answers to them do not move while it
 * writes. A damaged snapshot is refused naming the file; restoring onto an existing name is a 409.
 */
class SnapshotTest extends ApiTestBase {

    @Autowired
    LsrProperties properties;

    private static Map<String, Object> doc(String id, int[] terms, double[] values) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("vector", Map.of("indices", terms, "values", values));
        return d;
    }

    @Test
    void aSnapshotTakenUnderWritesRestoresToTheSameAnswers() throws Exception {
        put("/collections/snapsrc", "{\"model\": null, \"dim\": 1000, \"refresh_interval_ms\": 100, \"writer\": {\"max_buffered_docs\": 40}}").ok(201);
        // 600 base documents over terms 0-499.
        for (int b = 0; b < 600; b += ASYNC_BATCH) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = b; i < b + ASYNC_BATCH; i++) {
                batch.add(doc("b" + i, new int[] {i % 500, (i * 7 + 3) % 500},
                        new double[] {0.5 + (i % 11) * 0.1, 0.25 + (i % 5) * 0.2}));
            }
            post("/collections/snapsrc/documents?commit=" + (b + ASYNC_BATCH >= 600), batch).ok(200);
        }
        // The writer: new documents over terms 500-999 only, committed now and then, until stopped.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int n = 0; !stop.get(); n++) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int j = 0; j < ASYNC_BATCH; j++) {
                    int i = n * ASYNC_BATCH + j;
                    batch.add(doc("w" + i, new int[] {500 + i % 500}, new double[] {1.0 + (i % 3)}));
                }
                post("/collections/snapsrc/documents?commit=" + (n % 5 == 4), batch).ok(200);
                written.addAndGet(ASYNC_BATCH);
            }
        });
        writer.start();
        Thread.sleep(300);
        SplittableRandom rnd = new SplittableRandom(17);
        List<String> queries = new ArrayList<>();
        for (int q = 0; q < 200; q++) {
            int t = 2 + rnd.nextInt(3);
            List<Integer> idx = new ArrayList<>();
            List<Double> val = new ArrayList<>();
            for (int j = 0; j < t; j++) {
                int term = rnd.nextInt(500);
                if (!idx.contains(term)) {
                    idx.add(term);
                    val.add(0.5 + rnd.nextInt(10) * 0.25);
                }
            }
            String mode = q % 2 == 0 ? "exact" : "approximate";
            queries.add(JSON.writeValueAsString(Map.of("vector", Map.of("indices", idx, "values", val), "k", 10, "mode", mode)));
        }
        post("/collections/snapsrc/documents?refresh=true", List.of(doc("w-refresh", new int[] {999}, new double[] {1}))).ok(200);
        List<String> before = answers("snapsrc", queries);

        Reply snapshot = post("/collections/snapsrc/snapshots", null).ok(201);
        String id = snapshot.get("id").stringValue();
        int writtenAtSnapshot = written.get();
        Thread.sleep(300);
        stop.set(true);
        writer.join(30_000);
        assertThat(snapshot.get("files").size()).isGreaterThan(2);
        assertThat(snapshot.get("files").toString()).contains("collection.json").contains("segments_");

        Reply restored = post("/collections/snapsrc/snapshots/" + id + "/restore", Map.of("into", "snaprest")).ok(201);
        assertThat(restored.get("name").stringValue()).isEqualTo("snaprest");
        assertThat(answers("snaprest", queries)).as("restored answers vs the source's before the snapshot").isEqualTo(before);
        long docs = get("/collections/snaprest/stats").ok(200).get("docs").longValue();
        assertThat(docs).isBetween(600L, 601L + written.get());
        assertThat(get("/collections/snaprest").ok(200).get("settings").get("dim").intValue()).isEqualTo(1000);
        System.out.printf("SnapshotTest: snapshot %s taken after %d written documents (%d at the end), restored %d documents, "
                + "200 queries answered identically%n", id, writtenAtSnapshot, written.get(), docs);

        // The source kept its writes; the restored collection is independent of it.
        post("/collections/snaprest/documents?refresh=true", List.of(doc("only-restored", new int[] {3}, new double[] {9}))).ok(200);
        assertThat(get("/collections/snapsrc/documents/only-restored").status()).isEqualTo(404);
        assertThat(get("/collections/snapsrc/snapshots").ok(200).get("snapshots").get(0).get("id").stringValue()).isEqualTo(id);

        post("/collections/snapsrc/snapshots/" + id + "/restore", Map.of("into", "snaprest")).problem(409, "already exists");
        post("/collections/snapsrc/snapshots/20260101T000000000Z-00000000/restore", Map.of("into", "x1")).problem(404, "does not exist");
        // A damaged snapshot is refused, naming the file, and creates nothing.
        Path dir = properties.dataDir().resolve(".snapshots/snapsrc/" + id);
        String victim = snapshot.get("files").get(0).get("path").stringValue();
        byte[] bytes = Files.readAllBytes(dir.resolve(victim));
        bytes[bytes.length / 2] ^= 1;
        Files.write(dir.resolve(victim), bytes);
        post("/collections/snapsrc/snapshots/" + id + "/restore", Map.of("into", "snapbad")).problem(409, victim);
        assertThat(get("/collections/snapbad").status()).isEqualTo(404);
        // Without the key: refused.
        send("POST", "/collections/snapsrc/snapshots", null, null, false).problem(401, "Authorization");
    }

    private List<String> answers(String collection, List<String> queries) {
        List<String> out = new ArrayList<>();
        for (String q : queries) {
            JsonNode hits = send("POST", "/collections/" + collection + "/search", "application/json", q, false).ok(200).get("hits");
            StringBuilder sb = new StringBuilder();
            hits.forEach(h -> sb.append(h.get("id").stringValue()).append(':').append(h.get("score").floatValue()).append(' '));
            out.add(sb.toString());
        }
        return out;
    }
}
