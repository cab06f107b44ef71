package dev.lsr.api.web;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Builds RFC 9457 problem details, counts them, and writes them where no controller is involved (filters). */
@Component
public final class Problems {

    private final JsonMapper json;
    private final MeterRegistry meters;

    public Problems(JsonMapper json, MeterRegistry meters) {
        this.json = json;
        this.meters = meters;
    }

    public ProblemDetail create(HttpStatusCode status, String detail, String instance, Map<String, Object> properties) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        if (instance != null) {
            p.setInstance(URI.create(instance));
        }
        properties.forEach(p::setProperty);
        return p;
    }

    /** Counts an error response by status and the kind of error behind it. */
    public void count(HttpStatusCode status, String error) {
        meters.counter("lsr.errors", "status", Integer.toString(status.value()), "error", error).increment();
    }

    /** Writes a problem body straight to the servlet response (for filters, before any controller). */
    public void write(HttpServletResponse response, HttpStatusCode status, String detail, String instance,
            Map<String, Object> properties, String error) throws IOException {
        count(status, error);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        // Written as a plain map: the problem's extension members sit at the top level, as RFC 9457 wants.
        ProblemDetail p = create(status, detail, instance, properties);
        Map<String, Object> body = new LinkedHashMap<>();
        if (p.getType() != null) {
            body.put("type", p.getType().toString());
        }
        body.put("title", p.getTitle());
        body.put("status", p.getStatus());
        body.put("detail", p.getDetail());
        if (p.getInstance() != null) {
            body.put("instance", p.getInstance().toString());
        }
        body.putAll(properties);
        json.writeValue(response.getOutputStream(), body);
    }
}
