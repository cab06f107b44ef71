package dev.lsr.engine;

/** A model name or path that cannot be resolved or loaded (the caller named it: bad input, not a failure of ours). */
public final class UnknownModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
