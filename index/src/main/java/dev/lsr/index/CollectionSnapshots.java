package dev.lsr.index;

import dev.lsr.index.settings.CollectionFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consistent copies of live collections, and restoring them. A snapshot is a directory: the index
 * as of a commit taken for it (held by the writer's snapshot deletion policy while it is copied, so
 * writes, flushes and merges go on), the collection's own files beside the index (settings, the
 * engine's centring state; not a jobs journal or other subdirectories), and {@value #MANIFEST}
 * with the size and SHA-256 of every file. Under a data directory, the snapshots of collection
 * {@code c} live in {@code <dataDir>/.snapshots/c/<id>/} ({@link Collections#snapshot}); the
 * command line may put one anywhere.
 *
 * <p>A restore verifies every file against the manifest before anything is created, copies into a
 * hidden staging directory beside the target, and renames it into place in one step, so the
 * target is either absent or a whole collection, also after a crash.
 */
public final class CollectionSnapshots {

    /** The directory under a data directory that holds snapshots (not a valid collection name). */
    public static final String ROOT = ".snapshots";
    public static final String MANIFEST = "snapshot.json";
    private static final String STAGING_PREFIX = ".restoring-";
    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One file of a snapshot, path relative to the snapshot directory ({@code /}-separated). */
    public record FileSum(String path, long bytes, String sha256) {}

    /** What {@value #MANIFEST} holds. {@code created}: ISO-8601 instant (UTC). */
    public record Manifest(String id, String collection, String created, List<FileSum> files) {
        public long bytes() {
            long n = 0;
            for (FileSum f : files) {
                n += f.bytes();
            }
            return n;
        }
    }

    private CollectionSnapshots() {}

    /** A new snapshot id: time-ordered (UTC, milliseconds) plus a random suffix. */
    public static String newId() {
        return STAMP.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Whether {@code id} has the form {@link #newId()} gives (no path tricks possible). */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Commits the live collection and writes a snapshot of that commit into {@code target} (which
     * must not exist; it is written as {@code target.partial} and renamed when complete).
     *
     * @throws CollectionExistsException when {@code target} exists
     */
    public static Manifest take(Collection collection, Path target, String id) {
        target = target.toAbsolutePath().normalize();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        if (Files.exists(target)) {
            throw new CollectionExistsException("snapshot target " + target + " already exists");
        }
        try {
            if (Files.exists(partial)) {
                // Left by a snapshot that did not finish (a crash): never a snapshot, safe to drop.
                deleteTree(partial);
            }
            Files.createDirectories(partial);
            collection.snapshotIndex(partial);
            try (Stream<Path> files = Files.list(collection.directory())) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
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
            Manifest m = new Manifest(id, collection.name(), Instant.now().toString(), List.copyOf(sums));
            Files.write(partial.resolve(MANIFEST), JSON.writeValueAsBytes(m));
            fsync(partial.resolve(MANIFEST));
            fsync(partial.resolve(Collection.INDEX_DIR));
            fsync(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(target.getParent());
            return m;
        } catch (IOException e) {
            throw new IndexException("cannot snapshot collection '" + collection.name() + "' into " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a snapshot's manifest (files unchecked).
     *
     * @throws SnapshotNotFoundException when {@code dir} holds no {@value #MANIFEST}
     * @throws DamagedSnapshotException when the manifest cannot be read
     */
    public static Manifest read(Path dir) {
        Path file = dir.resolve(MANIFEST);
        try {
            Manifest m = JSON.readValue(Files.readAllBytes(file), Manifest.class);
            if (m.files() == null || m.files().isEmpty()) {
                throw new DamagedSnapshotException("snapshot " + dir + " is damaged: " + MANIFEST + " lists no files");
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new SnapshotNotFoundException("no snapshot at " + dir + " (" + MANIFEST + " is missing)", e);
        } catch (JacksonException e) {
            throw new DamagedSnapshotException("snapshot " + dir + " is damaged: " + file + " cannot be read: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IndexException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the manifest and checks every file it lists (inside the snapshot, present, size and
     * SHA-256) and that the settings are among them.
     *
     * @throws DamagedSnapshotException naming the first file that fails
     */
    public static Manifest verify(Path dir) {
        Manifest m = read(dir);
        Path root = dir.toAbsolutePath().normalize();
        boolean settings = false;
        for (FileSum f : m.files()) {
            if (f.path() == null || f.sha256() == null) {
                throw new DamagedSnapshotException("snapshot " + dir + " is damaged: " + MANIFEST + " has a file without path or sha256");
            }
            Path p = root.resolve(f.path()).normalize();
            try {
                if (!p.startsWith(root) || p.equals(root) || !Files.isRegularFile(p) || Files.size(p) != f.bytes()
                        || !sha256(p).equals(f.sha256())) {
                    throw new DamagedSnapshotException("snapshot " + dir + " is damaged: file " + f.path()
                            + " is missing or does not match its checksum");
                }
            } catch (IOException e) {
                throw new DamagedSnapshotException("snapshot " + dir + " is damaged: file " + f.path() + " cannot be read: " + e.getMessage(), e);
            }
            settings |= f.path().equals(CollectionFile.NAME);
        }
        if (!settings) {
            throw new DamagedSnapshotException("snapshot " + dir + " is damaged: it has no " + CollectionFile.NAME);
        }
        return m;
    }

    /**
     * Verifies the snapshot in {@code dir} and makes it the collection directory {@code target}
     * (which must not exist).
     *
     * @throws CollectionExistsException when {@code target} exists (nothing is written)
     */
    public static Manifest restore(Path dir, Path target) {
        if (Files.exists(target)) {
            throw new CollectionExistsException(target + " already exists; restore into a new directory");
        }
        Manifest m = verify(dir);
        Path staged = stage(dir, m, target.toAbsolutePath().getParent());
        install(staged, target);
        return m;
    }

    /**
     * Copies a verified snapshot into a new hidden directory under {@code parent} (fsynced,
     * {@code collection.json} last) and returns it: {@link #install} moves it into place.
     */
    static Path stage(Path dir, Manifest m, Path parent) {
        Path staged = parent.resolve(STAGING_PREFIX + UUID.randomUUID());
        try {
            Files.createDirectories(staged);
            for (FileSum f : m.files()) {
                if (!f.path().equals(CollectionFile.NAME)) {
                    Path out = staged.resolve(f.path());
                    Files.createDirectories(out.getParent());
                    Files.copy(dir.resolve(f.path()), out);
                    fsync(out);
                }
            }
            if (Files.isDirectory(staged.resolve(Collection.INDEX_DIR))) {
                fsync(staged.resolve(Collection.INDEX_DIR));
            }
            Files.copy(dir.resolve(CollectionFile.NAME), staged.resolve(CollectionFile.NAME));
            fsync(staged.resolve(CollectionFile.NAME));
            fsync(staged);
            return staged;
        } catch (IOException e) {
            discard(staged);
            throw new IndexException("cannot restore snapshot " + dir + " into " + parent + ": " + e.getMessage(), e);
        }
    }

    /** Renames a staged restore to {@code target} in one step; on failure the staging directory is removed. */
    static void install(Path staged, Path target) {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(target.toAbsolutePath().getParent());
        } catch (FileAlreadyExistsException e) {
            discard(staged);
            throw new CollectionExistsException(target + " already exists; restore into a new directory", e);
        } catch (IOException e) {
            discard(staged);
            if (Files.exists(target) && !Files.exists(target.resolve(CollectionFile.NAME))) {
                throw new CollectionExistsException(target + " already exists; restore into a new directory", e);
            }
            throw new IndexException("cannot move the restored collection into " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a staging directory (best effort: a leftover one is hidden and holds no collection name). */
    static void discard(Path staged) {
        try {
            deleteTree(staged);
        } catch (IOException ignored) {
            // Nothing lists hidden directories; the next restore uses a fresh one.
        }
    }

    /** Snapshots in {@code parent} (one directory per id), newest first. */
    static List<Manifest> list(Path parent) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(parent)) {
            List<Manifest> out = new ArrayList<>();
            for (Path d : dirs.filter(d -> isId(d.getFileName().toString())).sorted(Comparator.reverseOrder()).toList()) {
                out.add(read(d));
            }
            return out;
        } catch (IOException e) {
            throw new IndexException("cannot list snapshots in " + parent + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String sha256(Path f) throws IOException {
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
