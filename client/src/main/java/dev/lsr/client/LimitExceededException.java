package dev.lsr.client;

import java.util.Map;

/**
 * A configured limit of the service was exceeded (400 or 413): {@link #limit()} names the
 * {@code lsr.limits.*} property, {@link #limitValue()} its value (null / -1 when the server did not say).
 */
public final class LimitExceededException extends LsrProblemException {
    private static final long serialVersionUID = 1L;

    private final String limit;
    private final long limitValue;

    LimitExceededException(String request, int status, String title, String detail, Map<String, Object> problem,
            String limit, long limitValue) {
        super(request, status, title, detail, problem);
        this.limit = limit;
        this.limitValue = limitValue;
    }

    public String limit() {
        return limit;
    }

    public long limitValue() {
        return limitValue;
    }
}
