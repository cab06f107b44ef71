package dev.lsr.seismic;

/** A sparse vector broke an invariant; the message names the offending entry. */
public final class InvalidVectorException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidVectorException(String message) {
        super(message);
    }
}
