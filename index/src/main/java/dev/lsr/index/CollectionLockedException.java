package dev.lsr.index;

/** Another writer (usually another process) holds the collection's write lock. */
public class CollectionLockedException extends IndexException {
    private static final long serialVersionUID = 1L;

    public CollectionLockedException(String message) {
        super(message);
    }

    public CollectionLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
