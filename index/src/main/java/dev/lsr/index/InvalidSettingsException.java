package dev.lsr.index;

/** Collection settings are invalid; the message names the key. */
public class InvalidSettingsException extends IndexException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingsException(String message) {
        super(message);
    }

    public InvalidSettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
