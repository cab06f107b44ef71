package dev.lsr.api.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One service per data directory: an OS file lock on {@code <dataDir>/.serve.lock}, held while the
 * service runs and released by the OS when its process dies (even by SIGKILL). A second service on
 * the same directory used to start and answer, with every existing collection unopenable (Lucene's
 * own write locks) and new ones invisible to the first. {@code lsr index} and {@code lsr beir} do not
 * take it: writing a new collection into a served directory is supported.
 */
public final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = ".serve.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory when absent and locks it.
     *
     * @throws DataDirectoryException when it cannot be created or locked, or another service holds it
     */
    public static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another service in this JVM
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                throw new DataDirectoryException(dataDir, "is in use by another lsr serve"
                        + (holder.isEmpty() ? "" : " (" + holder + ")"), "Stop that service, or give this one another --data (lsr.data-dir) directory.");
            }
            byte[] who = ("pid " + ProcessHandle.current().pid() + " since " + Instant.now()).getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(who), 0);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DataDirectoryException(dataDir, "cannot be used: " + describe(e), "Give --data (lsr.data-dir) a directory this user can create and write.");
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.toString();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the failure being reported matters more
            }
        }
    }

    /** The data directory cannot serve: what is wrong with it, and what to do. */
    public static final class DataDirectoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Path dataDir;
        private final String action;

        DataDirectoryException(Path dataDir, String problem, String action) {
            super("data directory " + dataDir.toAbsolutePath() + " " + problem);
            this.dataDir = dataDir;
            this.action = action;
        }

        public Path dataDir() {
            return dataDir;
        }

        public String action() {
            return action;
        }
    }
}
