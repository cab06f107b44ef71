package dev.lsr.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;

/**
 * Copies the files of the latest commit of a live collection: the commit is held by the writer's
 * {@link SnapshotDeletionPolicy} (see {@link WriterConfiguration}) while writes, flushes and merges
 * go on, and released afterwards.
 */
final class IndexSnapshot {
    private IndexSnapshot() {}

    /** Copies into {@code target/index} (which must not exist) and fsyncs; returns the file names. */
    static List<String> copy(String name, LuceneIndex lucene, Path target) {
        SnapshotDeletionPolicy policy = (SnapshotDeletionPolicy) lucene.writer().getConfig().getIndexDeletionPolicy();
        IndexCommit commit;
        try {
            commit = policy.snapshot();
        } catch (IOException | IllegalStateException e) {
            throw new IndexException("cannot snapshot collection '" + name + "': " + e.getMessage(), e);
        }
        try {
            Path out = target.resolve(LuceneIndex.INDEX_DIR);
            if (Files.exists(out)) {
                throw new IndexException("snapshot target " + out + " already exists");
            }
            List<String> files = List.copyOf(commit.getFileNames());
            try (Directory copy = FSDirectory.open(out)) {
                for (String f : files) {
                    copy.copyFrom(lucene.directory(), f, f, IOContext.DEFAULT);
                }
                copy.sync(files);
                copy.syncMetaData();
            }
            return files;
        } catch (IOException e) {
            throw new IndexException("cannot snapshot collection '" + name + "' into " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                policy.release(commit);
                lucene.writer().deleteUnusedFiles();
            } catch (IOException | AlreadyClosedException e) {
                // The released files are deleted at the next commit instead.
            }
        }
    }
}
