package dev.lsr.api.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC (by the servlet container, e.g. a URL it refuses) reach
 * {@code /error}; they too get a problem body instead of Spring Boot's default error JSON.
 */
@RestController
public final class ProblemErrorController implements ErrorController {

    private final Problems problems;

    public ProblemErrorController(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatusCode status = code instanceof Integer i ? HttpStatusCode.valueOf(i) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Throwable ex = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        BodyTooLargeException tooLarge = BodyTooLargeException.in(ex);
        if (tooLarge != null) {
            problems.count(HttpStatus.CONTENT_TOO_LARGE, "BodyTooLarge");
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problems.create(HttpStatus.CONTENT_TOO_LARGE,
                    tooLarge.getMessage(), uri == null ? null : uri.toString(),
                    Map.of("limit", "lsr.limits.max-body-bytes", "limit_value", tooLarge.limit())));
        }
        String detail = message == null || message.toString().isBlank()
                ? (status instanceof HttpStatus s ? s.getReasonPhrase() : "error " + status.value())
                : message.toString();
        problems.count(status, "ContainerError");
        return ResponseEntity.status(status).body(problems.create(status, detail, uri == null ? null : uri.toString(), Map.of()));
    }
}
