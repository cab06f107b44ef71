package dev.lsr.index;

/**
 * Base of every error the index module reports to callers. Subclasses say whose fault it is:
 * the api module maps {@link InvalidDocumentException}, {@link InvalidRequestException},
 * {@link InvalidSettingsException} to 400, {@link CollectionNotFoundException} to 404,
 * {@link CollectionExistsException} and {@link CollectionLockedException} to 409,
 * {@link IncompatibleCollectionException} to 409/500, {@link SnapshotNotFoundException} to 404,
 * {@link DamagedSnapshotException} to 409; a plain {@code IndexException} is internal.
 */
public class IndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IndexException(String message) {
        super(message);
    }

    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
