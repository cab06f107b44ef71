package dev.lsr.api.models;

/** A model name or path that cannot be resolved or loaded (the client named it: a 400). */
public final class UnknownModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
