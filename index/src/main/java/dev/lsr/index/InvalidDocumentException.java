package dev.lsr.index;

/** A document was rejected; the message names the document id and the field. */
public class InvalidDocumentException extends IndexException {
    private static final long serialVersionUID = 1L;

    public InvalidDocumentException(String message) {
        super(message);
    }

    public InvalidDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
