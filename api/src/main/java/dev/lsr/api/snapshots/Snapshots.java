package dev.lsr.api.snapshots;

import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.web.ApiException;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import dev.lsr.index.CollectionExistsException;
import dev.lsr.index.Collections;
import dev.lsr.index.settings.CollectionFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consistent copies of live collections in {@code <dataDir>/.snapshots/<collection>/<id>/}: the
 * index as of a commit taken for the snapshot (held by the index's snapshot deletion policy while
 * it is copied, so writes go on), the collection's settings and other files, and
 * {@code snapshot.json} with the size and SHA-256 of every file. A restore verifies every checksum,
 * then copies into a new collection, {@code collection.json} last (until it is there, the directory
 * is not a collection).
 */
@Service
public final class Snapshots {

    static final String ROOT = ".snapshots";
    static final String MANIFEST = "snapshot.json";
    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    /** One file of a snapshot, path relative to the snapshot directory. */
    public record FileSum(String path, long bytes, String sha256) {}

    /** What {@code snapshot.json} holds and the API returns. */
    public record Manifest(String id, String collection, Instant created, List<FileSum> files) {}

    private final Engine engine;
    private final Path dataDir;
    private final JsonMapper json;

    public Snapshots(Engine engine, LsrProperties properties, JsonMapper json) {
        this.engine = engine;
        this.dataDir = properties.dataDir();
        this.json = json;
    }

    public Manifest create(EngineCollection collection) {
        Instant now = Instant.now();
        String id = STAMP.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path parent = dataDir.resolve(ROOT).resolve(collection.name());
        Path partial = parent.resolve(id + ".partial");
        try {
            Files.createDirectories(partial);
            collection.index().snapshotIndex(partial);
            // Settings and engine state beside the index (collection.json, centring); not the jobs' journal.
            Path source = collection.index().directory();
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String n = f.getFileName().toString();
                    if (!n.endsWith(".tmp")) {
                        Files.copy(f, partial.resolve(n));
                    }
                }
            }
            List<FileSum> sums = new ArrayList<>();
            try (Stream<Path> files = Files.walk(partial)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    sums.add(new FileSum(partial.relativize(f).toString().replace('\\', '/'), Files.size(f), sha256(f)));
                    fsync(f);
                }
            }
            Manifest m = new Manifest(id, collection.name(), now, sums);
            Files.write(partial.resolve(MANIFEST), json.writeValueAsBytes(m));
            fsync(partial.resolve(MANIFEST));
            fsync(partial);
            Files.move(partial, parent.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            fsync(parent);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot collection '" + collection.name() + "': " + e.getMessage(), e);
        }
    }

    public List<Manifest> list(String collection) {
        Collections.checkName(collection);
        Path parent = dataDir.resolve(ROOT).resolve(collection);
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(parent)) {
            List<Manifest> out = new ArrayList<>();
            for (Path d : dirs.filter(d -> ID.matcher(d.getFileName().toString()).matches()).sorted(Comparator.reverseOrder()).toList()) {
                out.add(manifest(collection, d.getFileName().toString()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Manifest manifest(String collection, String id) {
        Collections.checkName(collection);
        if (!ID.matcher(id).matches()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "snapshot '" + id + "' of collection '" + collection + "' does not exist");
        }
        try {
            return json.readValue(Files.readAllBytes(dataDir.resolve(ROOT).resolve(collection).resolve(id).resolve(MANIFEST)), Manifest.class);
        } catch (NoSuchFileException e) {
            throw new ApiException(HttpStatus.NOT_FOUND, "snapshot '" + id + "' of collection '" + collection + "' does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Verifies every file of the snapshot, then makes it collection {@code into} (which must not exist). */
    public EngineCollection restore(String collection, String id, String into) {
        Collections.checkName(into);
        Manifest m = manifest(collection, id);
        Path from = dataDir.resolve(ROOT).resolve(collection).resolve(id);
        try {
            for (FileSum f : m.files()) {
                Path p = from.resolve(f.path()).normalize();
                if (!p.startsWith(from) || !Files.isRegularFile(p) || Files.size(p) != f.bytes() || !sha256(p).equals(f.sha256())) {
                    throw new ApiException(HttpStatus.CONFLICT, "snapshot '" + id + "' of collection '" + collection
                            + "' is damaged: file " + f.path() + " is missing or does not match its checksum");
                }
            }
            synchronized (this) {
                if (engine.exists(into)) {
                    throw new CollectionExistsException("collection '" + into + "' already exists; restore into a new name");
                }
                Path target = dataDir.resolve(into);
                if (Files.exists(target)) {
                    throw new CollectionExistsException("a directory " + into + " exists in the data directory; restore into a new name");
                }
                FileSum settings = null;
                for (FileSum f : m.files()) {
                    if (f.path().equals(CollectionFile.NAME)) {
                        settings = f;
                        continue;
                    }
                    Path out = target.resolve(f.path());
                    Files.createDirectories(out.getParent());
                    Files.copy(from.resolve(f.path()), out);
                    fsync(out);
                }
                if (settings == null) {
                    throw new ApiException(HttpStatus.CONFLICT, "snapshot '" + id + "' has no " + CollectionFile.NAME);
                }
                fsync(target.resolve("index"));
                fsync(target);
                Path tmp = target.resolve(CollectionFile.NAME + ".restoring");
                Files.copy(from.resolve(CollectionFile.NAME), tmp);
                fsync(tmp);
                Files.move(tmp, target.resolve(CollectionFile.NAME), StandardCopyOption.ATOMIC_MOVE);
                fsync(target);
                return engine.collection(into);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore snapshot '" + id + "' into '" + into + "': " + e.getMessage(), e);
        }
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
