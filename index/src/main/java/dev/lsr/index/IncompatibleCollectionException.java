package dev.lsr.index;

/** The collection directory was written by an incompatible version or is damaged. */
public class IncompatibleCollectionException extends IndexException {
    private static final long serialVersionUID = 1L;

    public IncompatibleCollectionException(String message) {
        super(message);
    }

    public IncompatibleCollectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
