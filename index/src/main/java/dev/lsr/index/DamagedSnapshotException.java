package dev.lsr.index;

/** A snapshot's manifest is unreadable, or one of its files is missing or fails its size or checksum (named). */
public class DamagedSnapshotException extends IndexException {
    private static final long serialVersionUID = 1L;

    public DamagedSnapshotException(String message) {
        super(message);
    }

    public DamagedSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
