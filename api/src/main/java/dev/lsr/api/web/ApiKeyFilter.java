package dev.lsr.api.web;

import dev.lsr.api.config.LsrProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * API keys. With {@code lsr.api-key} (the write key) set, requests that change data (PUT, DELETE,
 * PATCH, POST except searches) and {@code POST /encode} (the most expensive call there is) need
 * {@code Authorization: Bearer <key>}. With {@code lsr.read-api-key} also set, searches and reads of
 * collections, documents and jobs need the read key or the write key; the read key alone does not
 * allow writes (403). Without a key: 401. The page, static files, health, metrics and OpenAPI stay open.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public final class ApiKeyFilter extends OncePerRequestFilter {

    /** What a request needs. */
    enum Access { OPEN, READ, ENCODE, WRITE }

    /**
     * GETs that stay open: the page, its files, health/metrics, OpenAPI. Matched on the raw path and
     * only without path parameters, dot segments or escapes, so a disguised read falls to READ.
     */
    private static final Pattern OPEN_GET = Pattern.compile(
            "/|/index\\.html|/app\\.js|/style\\.css|/favicon\\.ico|/error|/actuator(/[a-zA-Z0-9._-]+)*|/v3/api-docs(/[a-zA-Z0-9._-]+)*"
                    + "|/swagger-ui\\.html|/swagger-ui/[a-zA-Z0-9._/-]*");

    private final byte[] writeKey;
    private final byte[] readKey;
    private final Problems problems;

    public ApiKeyFilter(LsrProperties properties, Problems problems) {
        this.writeKey = properties.apiKeyRequired() ? properties.apiKey().getBytes(StandardCharsets.UTF_8) : null;
        this.readKey = properties.readApiKey() != null && !properties.readApiKey().isEmpty()
                ? properties.readApiKey().getBytes(StandardCharsets.UTF_8) : null;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return writeKey == null;
    }

    static Access access(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return switch (request.getMethod()) {
            case "PUT", "DELETE", "PATCH" -> Access.WRITE;
            case "POST" -> path.equals("/encode") ? Access.ENCODE : path.endsWith("/search") ? Access.READ : Access.WRITE;
            case "GET", "HEAD" -> OPEN_GET.matcher(path).matches() && path.indexOf("..") < 0 ? Access.OPEN : Access.READ;
            default -> Access.OPEN;
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Access access = access(request);
        boolean readGuarded = access == Access.READ && readKey != null;
        if (access == Access.OPEN || (access == Access.READ && !readGuarded)) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String detail;
        HttpStatus status = HttpStatus.UNAUTHORIZED;
        if (header == null) {
            detail = switch (access) {
                case WRITE -> "this request changes data and needs 'Authorization: Bearer <api key>' (lsr.api-key is set)";
                case ENCODE -> "/encode needs 'Authorization: Bearer <api key>' (lsr.api-key is set)";
                default -> "reads and searches need 'Authorization: Bearer <read or write api key>' (lsr.read-api-key is set)";
            };
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            detail = "the Authorization header must be 'Bearer <api key>'";
        } else {
            byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            boolean isWrite = MessageDigest.isEqual(writeKey, given);
            boolean isRead = readKey != null && MessageDigest.isEqual(readKey, given);
            if (isWrite || (isRead && access != Access.WRITE)) {
                chain.doFilter(request, response);
                return;
            }
            if (isRead) {
                status = HttpStatus.FORBIDDEN;
                detail = "the read API key (lsr.read-api-key) does not allow changes; this request needs the write key (lsr.api-key)";
            } else {
                detail = "the API key is wrong";
            }
        }
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"lsr\"");
        }
        problems.write(response, status, detail, request.getRequestURI(), Map.of(),
                status == HttpStatus.UNAUTHORIZED ? "Unauthorized" : "Forbidden");
    }
}
