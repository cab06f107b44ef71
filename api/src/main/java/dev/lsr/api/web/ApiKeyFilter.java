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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When {@code lsr.api-key} is set, requests that change data (PUT, DELETE, PATCH, and POST except
 * searches and {@code /encode}) need {@code Authorization: Bearer <key>}; others get a 401 problem.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public final class ApiKeyFilter extends OncePerRequestFilter {

    private final byte[] key;
    private final Problems problems;

    public ApiKeyFilter(LsrProperties properties, Problems problems) {
        this.key = properties.apiKeyRequired() ? properties.apiKey().getBytes(StandardCharsets.UTF_8) : null;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return key == null || !isWrite(request);
    }

    static boolean isWrite(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return switch (request.getMethod()) {
            case "PUT", "DELETE", "PATCH" -> true;
            case "POST" -> !(path.equals("/encode") || path.endsWith("/search"));
            default -> false;
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String detail;
        if (header == null) {
            detail = "this request changes data and needs 'Authorization: Bearer <api key>' (lsr.api-key is set)";
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            detail = "the Authorization header must be 'Bearer <api key>'";
        } else if (!MessageDigest.isEqual(key, header.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            detail = "the API key is wrong";
        } else {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"lsr\"");
        problems.write(response, HttpStatus.UNAUTHORIZED, detail, request.getRequestURI(), Map.of(), "Unauthorized");
    }
}
