package dev.lsr.seismic.io;

/** A vector file has a bad line or record; the message names the file and the line (or row). */
public final class MalformedInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedInputException(String message) {
        super(message);
    }

    public MalformedInputException(String message, Throwable cause) {
        super(message, cause);
    }

    public static MalformedInputException at(String file, long line, String what) {
        return new MalformedInputException(file + ":" + line + ": " + what);
    }
}
