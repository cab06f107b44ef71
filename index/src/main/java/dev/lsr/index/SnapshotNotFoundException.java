package dev.lsr.index;

/** There is no snapshot at that place or of that id (no {@code snapshot.json}). */
public class SnapshotNotFoundException extends IndexException {
    private static final long serialVersionUID = 1L;

    public SnapshotNotFoundException(String message) {
        super(message);
    }

    public SnapshotNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
