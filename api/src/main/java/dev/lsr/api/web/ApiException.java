package dev.lsr.api.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, with the status and the precise detail its problem body carries,
 * and extra problem members (for example {@code limit} naming the configuration property exceeded).
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final transient Map<String, Object> properties;

    public ApiException(HttpStatus status, String detail) {
        this(status, detail, Map.of());
    }

    public ApiException(HttpStatus status, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.properties = Map.copyOf(properties);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail);
    }

    /** A configured limit was exceeded; {@code property} is the {@code lsr.limits.*} key that sets it. */
    public static ApiException limit(HttpStatus status, String property, long limit, String detail) {
        return new ApiException(status, detail, Map.of("limit", property, "limit_value", limit));
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
