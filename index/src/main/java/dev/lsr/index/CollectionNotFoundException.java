package dev.lsr.index;

/** No collection of that name exists. */
public class CollectionNotFoundException extends IndexException {
    private static final long serialVersionUID = 1L;

    public CollectionNotFoundException(String message) {
        super(message);
    }

    public CollectionNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
