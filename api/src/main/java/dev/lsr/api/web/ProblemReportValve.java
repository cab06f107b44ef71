package dev.lsr.api.web;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * Tomcat's host-level error report, written as an RFC 9457 problem instead of Tomcat's HTML page.
 * It answers only errors that no application error page handled: a URL the connector refuses before
 * any servlet runs (an encoded NUL or backslash, {@code /collections/x%00y}) or an error on a
 * request that never reached a context. Errors inside the application are answered by
 * {@link ProblemHandler} and {@link ProblemErrorController}; by the time this valve runs their body
 * is written and it leaves them alone.
 */
public final class ProblemReportValve extends ErrorReportValve {

    private final Problems problems;

    public ProblemReportValve(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // Same guard as Tomcat's own report: only an unreported error whose body is still empty.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return; // the connection is already broken: nobody would read a body
        }
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        // A container message may name internals for a 5xx; the client only learns the status then.
        String message = response.getMessage();
        String detail = status >= 500 || message == null || message.isBlank()
                ? (code instanceof HttpStatus s ? s.getReasonPhrase() : "error " + status)
                : message;
        try {
            response.resetBuffer();
            problems.write(response, code, detail, instance(request), Map.of(), "ConnectorError");
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was committed meanwhile: nothing left to tell it.
            response.setStatus(status);
        }
    }

    /** The request's raw path when it is a valid URI reference (a refused one may not be). */
    private static String instance(Request request) {
        String uri = request.getRequestURI();
        if (uri == null) {
            return null;
        }
        try {
            URI.create(uri);
            return uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
