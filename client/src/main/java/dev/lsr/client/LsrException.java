package dev.lsr.client;

/** Every failure of a client call: a problem the server answered with, or a transport failure. */
public abstract sealed class LsrException extends RuntimeException permits LsrProblemException, LsrTransportException {
    private static final long serialVersionUID = 1L;

    LsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
