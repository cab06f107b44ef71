package dev.lsr.api.web;

import java.io.IOException;

/**
 * A request body grew past {@code lsr.limits.max-body-bytes} while it was read. An
 * {@link IOException} so that it passes through the readers (Jackson, servlet streams) that see it.
 */
public final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("request body is larger than the limit of " + limit + " bytes (lsr.limits.max-body-bytes)");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The exception, if {@code t} or one of its causes is one. */
    public static BodyTooLargeException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BodyTooLargeException b) {
                return b;
            }
        }
        return null;
    }
}
