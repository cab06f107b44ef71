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
    private final transient Map<String, String> headers;

    public ApiException(HttpStatus status, String detail) {
        this(status, detail, Map.of());
    }

    public ApiException(HttpStatus status, String detail, Map<String, Object> properties) {
        this(status, detail, properties, Map.of());
    }

    public ApiException(HttpStatus status, String detail, Map<String, Object> properties, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.properties = Map.copyOf(properties);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail);
    }

    /** A configured limit was exceeded; {@code property} is the {@code lsr.limits.*} key that sets it. */
    public static ApiException limit(HttpStatus status, String property, long limit, String detail) {
        return new ApiException(status, detail, Map.of("limit", property, "limit_value", limit));
    }

    /**
     * The service is saturated ({@code 429 Too Many Requests}): {@code property} names the
     * {@code lsr.limits.*} bound that was reached; {@code Retry-After} says when to try again.
     */
    public static ApiException tooMany(String property, long limit, long retryAfterSeconds, String detail) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, detail,
                Map.of("limit", property, "limit_value", limit, "retry_after_seconds", retryAfterSeconds),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** Response headers the problem carries (e.g. {@code Retry-After}). */
    public Map<String, String> headers() {
        return headers;
    }
}
