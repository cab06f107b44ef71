package dev.lsr.index;

import dev.lsr.index.settings.CollectionFile;
import dev.lsr.index.settings.CollectionSettings;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.lucene.store.Directory;

/**
 * The collections under one data directory ({@code <dataDir>/<name>/}). Collections are opened
 * on first use and stay open (holding their write lock) until {@link #delete} or {@link #close}.
 * Thread-safe.
 */
public final class Collections implements Closeable {

    /** Lower-case letters, digits, {@code _} and {@code -}, starting with a letter or digit, 1..64 long. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Path dataDir;
    private final Map<String, Collection> open = new HashMap<>();
    private final UnaryOperator<Directory> directoryWrapper;
    private final Executor searchExecutor;
    private boolean closed;

    private Collections(Path dataDir, UnaryOperator<Directory> directoryWrapper, Executor searchExecutor) {
        this.dataDir = dataDir;
        this.directoryWrapper = directoryWrapper;
        this.searchExecutor = searchExecutor;
    }

    /** Opens (creating if needed) a data directory. */
    public static Collections open(Path dataDir) {
        return open(dataDir, UnaryOperator.identity());
    }

    /**
     * As {@link #open(Path)}, with every collection's Lucene directory wrapped: the seam that
     * fault-injection tests (a disk that fills up) and I/O instrumentation use.
     */
    public static Collections open(Path dataDir, UnaryOperator<Directory> directoryWrapper) {
        return open(dataDir, directoryWrapper, null);
    }

    /**
     * As {@link #open(Path)}, searching each collection's segments concurrently on
     * {@code searchExecutor} (null: on the calling thread). The caller sizes the executor and
     * shuts it down after {@link #close()}; results are identical to sequential search.
     */
    public static Collections open(Path dataDir, Executor searchExecutor) {
        return open(dataDir, UnaryOperator.identity(), searchExecutor);
    }

    /** Both seams: a directory wrapper and a search executor (either may be the default: identity, null). */
    public static Collections open(Path dataDir, UnaryOperator<Directory> directoryWrapper, Executor searchExecutor) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IndexException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return new Collections(dataDir.toAbsolutePath().normalize(), directoryWrapper, searchExecutor);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Validates a collection name (no path tricks possible: the pattern has no dots or slashes). */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("invalid collection name '" + name
                    + "': use 1-64 of a-z, 0-9, '_', '-', starting with a letter or digit");
        }
        return name;
    }

    /** @throws CollectionExistsException if the name is taken */
    public synchronized Collection create(String name, CollectionSettings settings) {
        ensureOpen();
        checkName(name);
        Collection c = Collection.create(dataDir.resolve(name), name, settings, directoryWrapper, searchExecutor);
        open.put(name, c);
        return c;
    }

    /** @throws CollectionNotFoundException if there is no such collection */
    public synchronized Collection get(String name) {
        ensureOpen();
        checkName(name);
        Collection c = open.get(name);
        if (c != null && c.failed()) {
            // Lucene closed this writer after a storage failure (e.g. disk full); reopening
            // recovers from the last commit, so writes work again once the cause is gone.
            open.remove(name);
            try {
                c.close();
            } catch (IndexException alreadyFailed) {
                // The close reports the same storage failure again; the reopen below decides.
            }
            c = null;
        }
        if (c == null) {
            Path dir = dataDir.resolve(name);
            if (!Files.exists(dir.resolve(CollectionFile.NAME))) {
                throw new CollectionNotFoundException("collection '" + name + "' does not exist");
            }
            c = Collection.open(dir, name, directoryWrapper, searchExecutor);
            open.put(name, c);
        }
        return c;
    }

    public synchronized boolean exists(String name) {
        ensureOpen();
        return NAME.matcher(name).matches()
                && (open.containsKey(name) || Files.exists(dataDir.resolve(name).resolve(CollectionFile.NAME)));
    }

    /** Names of all collections, sorted. */
    public synchronized List<String> list() {
        ensureOpen();
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(dataDir)) {
            dirs.filter(p -> Files.exists(p.resolve(CollectionFile.NAME)))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> NAME.matcher(n).matches())
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new IndexException("cannot list " + dataDir + ": " + e.getMessage(), e);
        }
        return names;
    }

    /** Closes and deletes a collection and all its files. */
    public synchronized void delete(String name) {
        ensureOpen();
        Collection c = get(name);
        open.remove(name);
        c.close();
        Path dir = dataDir.resolve(name);
        try {
            // collection.json goes first so that a crash midway leaves no half collection listed.
            Files.deleteIfExists(dir.resolve(CollectionFile.NAME));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new IndexException("cannot delete collection '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Commits the collection and writes a snapshot of that commit into
     * {@code <dataDir>/.snapshots/<name>/<id>/} while writes go on (see {@link CollectionSnapshots}).
     * Not under this object's lock: other collections, and this one, stay usable while it copies.
     */
    public CollectionSnapshots.Manifest snapshot(String name) {
        Collection c = get(name);
        String id = CollectionSnapshots.newId();
        return CollectionSnapshots.take(c, snapshotsDir(name).resolve(id), id);
    }

    /** The snapshots of a collection (which may no longer exist), newest first. */
    public List<CollectionSnapshots.Manifest> snapshots(String name) {
        return CollectionSnapshots.list(snapshotsDir(name));
    }

    /** @throws SnapshotNotFoundException when the collection has no snapshot of that id */
    public CollectionSnapshots.Manifest snapshot(String name, String id) {
        return CollectionSnapshots.read(snapshotDir(name, id));
    }

    /**
     * Verifies a snapshot of collection {@code name} and restores it as the new collection
     * {@code into}. The copy is staged in a hidden directory outside this object's lock; only the
     * final rename runs under it, after the name was checked to be free.
     *
     * @throws CollectionExistsException when {@code into} exists (nothing is created)
     * @throws SnapshotNotFoundException when there is no such snapshot (nothing is created)
     * @throws DamagedSnapshotException when a file of it fails its checksum (nothing is created)
     */
    public Collection restore(String name, String id, String into) {
        checkName(into);
        Path from = snapshotDir(name, id);
        CollectionSnapshots.Manifest m = CollectionSnapshots.verify(from);
        if (exists(into)) {
            throw new CollectionExistsException("collection '" + into + "' already exists; restore into a new name");
        }
        Path staged = CollectionSnapshots.stage(from, m, dataDir);
        synchronized (this) {
            ensureOpen();
            Path target = dataDir.resolve(into);
            if (open.containsKey(into) || Files.exists(target)) {
                CollectionSnapshots.discard(staged);
                throw new CollectionExistsException("collection '" + into + "' already exists; restore into a new name");
            }
            CollectionSnapshots.install(staged, target);
            return get(into);
        }
    }

    private Path snapshotsDir(String name) {
        return dataDir.resolve(CollectionSnapshots.ROOT).resolve(checkName(name));
    }

    private Path snapshotDir(String name, String id) {
        if (!CollectionSnapshots.isId(id)) {
            throw new SnapshotNotFoundException("snapshot '" + id + "' of collection '" + checkName(name) + "' does not exist");
        }
        Path dir = snapshotsDir(name).resolve(id);
        if (!Files.isDirectory(dir)) {
            throw new SnapshotNotFoundException("snapshot '" + id + "' of collection '" + name + "' does not exist");
        }
        return dir;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IndexException("collections under " + dataDir + " are closed");
        }
    }

    /** Closes (and so commits) every open collection. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        IndexException first = null;
        for (Collection c : open.values()) {
            try {
                c.close();
            } catch (IndexException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
