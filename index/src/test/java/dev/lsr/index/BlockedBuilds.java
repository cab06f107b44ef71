package dev.lsr.index;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * A directory wrapper that holds every merge (the background builds among them) at its first
 * file until {@link #release()}: a test can then delete, search and copy files while segments
 * are certainly still pending, whatever the machine's speed.
 */
final class BlockedBuilds implements UnaryOperator<Directory> {

    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public Directory apply(Directory d) {
        return new FilterDirectory(d) {
            @Override
            public IndexOutput createOutput(String name, IOContext context) throws IOException {
                if (context.context() == IOContext.Context.MERGE) {
                    try {
                        if (!released.await(60, TimeUnit.SECONDS)) {
                            throw new IOException("test never released the merges");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
                return super.createOutput(name, context);
            }
        };
    }

    void release() {
        released.countDown();
    }
}
