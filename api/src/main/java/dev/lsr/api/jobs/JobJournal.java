package dev.lsr.api.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's journal beside its collection, in {@code <dataDir>/<collection>/jobs/}: {@code <id>.ndjson}
 * holds the accepted documents (written and fsynced before the 202 is sent) and {@code <id>.json}
 * the job's state as of its last commit (replaced atomically). Deleting the collection deletes them.
 */
final class JobJournal {

    static final String DIR = "jobs";

    /** What {@code <id>.json} holds: the job as of its last commit, and what to do after its last chunk. */
    record Entry(Job.Snapshot job, boolean refresh, boolean commit) {}

    private final Path dataDir;
    private final JsonMapper json;

    JobJournal(Path dataDir, JsonMapper json) {
        this.dataDir = dataDir;
        this.json = json;
    }

    private Path dir(String collection) {
        return dataDir.resolve(collection).resolve(DIR);
    }

    /** Writes the documents and the first state of a new job, both on disk when this returns. */
    void create(Entry entry, List<JsonNode> docs) {
        Path dir = dir(entry.job().collection());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve(entry.job().id() + ".ndjson"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                for (JsonNode d : docs) {
                    ByteBuffer line = ByteBuffer.wrap((json.writeValueAsString(d) + "\n").getBytes(StandardCharsets.UTF_8));
                    while (line.hasRemaining()) {
                        ch.write(line);
                    }
                }
                ch.force(true);
            }
            write(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal of job " + entry.job().id() + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the job's state atomically (temporary file, fsync, rename, fsync of the directory). */
    void write(Entry entry) {
        Path dir = dir(entry.job().collection());
        Path tmp = dir.resolve(entry.job().id() + ".json.tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(json.writeValueAsBytes(entry));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(entry.job().id() + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(entry.job().id() + ".json"), StandardCopyOption.REPLACE_EXISTING);
            }
            syncDir(dir);
        } catch (NoSuchFileException e) {
            // The collection was deleted, its journal with it: nothing left to record.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal of job " + entry.job().id() + ": " + e.getMessage(), e);
        }
    }

    /** The job's accepted documents, in request order. */
    List<JsonNode> documents(String collection, String id) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(dir(collection).resolve(id + ".ndjson"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    docs.add(json.readTree(line));
                }
            }
        }
        return docs;
    }

    /** A finished job keeps only its state: the documents are in the collection (or were refused). */
    void dropDocuments(String collection, String id) {
        try {
            Files.deleteIfExists(dir(collection).resolve(id + ".ndjson"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void forget(String collection, String id) {
        try {
            Files.deleteIfExists(dir(collection).resolve(id + ".ndjson"));
            Files.deleteIfExists(dir(collection).resolve(id + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every job recorded for {@code collection}, oldest first. */
    List<Entry> entries(String collection) throws IOException {
        Path dir = dir(collection);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                entries.add(json.readValue(Files.readAllBytes(f), Entry.class));
            }
        }
        entries.sort(java.util.Comparator.comparing(e -> e.job().created()));
        return entries;
    }

    private static void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename is then as durable as they make it.
            if (!(e.getMessage() != null && e.getMessage().contains("Is a directory"))) {
                throw e;
            }
        }
    }
}
