package dev.lsr.encoder.model;

import java.io.IOException;

/** A model file or directory that cannot be used as given; the message names the file and what is wrong. */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
