package dev.lsr.index;

/** A collection of that name already exists. */
public class CollectionExistsException extends IndexException {
    private static final long serialVersionUID = 1L;

    public CollectionExistsException(String message) {
        super(message);
    }

    public CollectionExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
