package dev.lsr.seismic.store;

import java.io.IOException;

/** A saved Seismic index is damaged, truncated or of another version; the message names the file. */
public final class CorruptIndexException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptIndexException(String message) {
        super(message);
    }

    public CorruptIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
