package dev.lsr.index;

/** A search or filter request is malformed; the message names the field. */
public class InvalidRequestException extends IndexException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
