package dev.lsr.index.reliability;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * A directory whose disk can fill up: every byte written by any output counts against a shared
 * budget, and a write past it fails the way the OS reports ENOSPC. Freeing space is setting a
 * new budget; outputs that already failed stay failed, as real file handles would.
 */
final class FaultyDirectory extends FilterDirectory {

    static final String ENOSPC = "No space left on device";

    /** The one disk that every directory wrapped by {@link #wrapper()} writes to. */
    static final class Disk {
        private final AtomicLong remaining = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong failures = new AtomicLong();

        /** From now on only {@code bytes} more bytes fit. */
        void fillUpAfter(long bytes) {
            remaining.set(bytes);
        }

        void freeSpace() {
            remaining.set(Long.MAX_VALUE);
        }

        long failures() {
            return failures.get();
        }

        java.util.function.UnaryOperator<Directory> wrapper() {
            return d -> new FaultyDirectory(d, this);
        }
    }

    private final AtomicLong remaining;
    private final AtomicLong failures;

    private FaultyDirectory(Directory in, Disk disk) {
        super(in);
        this.remaining = disk.remaining;
        this.failures = disk.failures;
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        return new Limited(in.createOutput(name, context));
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
        return new Limited(in.createTempOutput(prefix, suffix, context));
    }

    private final class Limited extends IndexOutput {
        private final IndexOutput out;

        Limited(IndexOutput out) {
            super("limited(" + out + ")", out.getName());
            this.out = out;
        }

        private void take(long n) throws IOException {
            if (remaining.addAndGet(-n) < 0) {
                remaining.addAndGet(n);
                failures.incrementAndGet();
                throw new IOException(ENOSPC + " (writing " + out.getName() + ")");
            }
        }

        @Override
        public void writeByte(byte b) throws IOException {
            take(1);
            out.writeByte(b);
        }

        @Override
        public void writeBytes(byte[] b, int offset, int length) throws IOException {
            take(length);
            out.writeBytes(b, offset, length);
        }

        @Override
        public long getFilePointer() {
            return out.getFilePointer();
        }

        @Override
        public long getChecksum() throws IOException {
            return out.getChecksum();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
