package dev.lsr.client;

/** The server could not be reached, timed out, or answered something that is not the API's JSON. */
public final class LsrTransportException extends LsrException {
    private static final long serialVersionUID = 1L;

    public LsrTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
