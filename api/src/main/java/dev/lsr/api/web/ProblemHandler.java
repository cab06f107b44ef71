package dev.lsr.api.web;

import dev.lsr.engine.UnknownModelException;
import dev.lsr.index.CollectionExistsException;
import dev.lsr.index.CollectionLockedException;
import dev.lsr.index.CollectionNotFoundException;
import dev.lsr.index.DamagedSnapshotException;
import dev.lsr.index.IncompatibleCollectionException;
import dev.lsr.index.IndexException;
import dev.lsr.index.InvalidDocumentException;
import dev.lsr.index.InvalidRequestException;
import dev.lsr.index.InvalidSettingsException;
import dev.lsr.index.SnapshotNotFoundException;
import dev.lsr.seismic.InvalidVectorException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error, ours and Spring MVC's, as an RFC 9457 problem ({@code application/problem+json})
 * whose {@code detail} says precisely what was wrong and where; counted in {@code lsr.errors}.
 */
@RestControllerAdvice
public final class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    private final Problems problems;

    public ProblemHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e, WebRequest request) {
        ResponseEntity<Object> r = problem(e, e.status(), e.getMessage(), e.properties(), request);
        if (e.headers().isEmpty()) {
            return r;
        }
        HttpHeaders h = new HttpHeaders();
        h.putAll(r.getHeaders());
        e.headers().forEach(h::set);
        return new ResponseEntity<>(r.getBody(), h, r.getStatusCode());
    }

    @ExceptionHandler({CollectionNotFoundException.class, SnapshotNotFoundException.class})
    ResponseEntity<Object> notFound(IndexException e, WebRequest request) {
        return problem(e, HttpStatus.NOT_FOUND, e.getMessage(), Map.of(), request);
    }

    @ExceptionHandler({CollectionExistsException.class, CollectionLockedException.class, IncompatibleCollectionException.class,
            DamagedSnapshotException.class})
    ResponseEntity<Object> conflict(IndexException e, WebRequest request) {
        return problem(e, HttpStatus.CONFLICT, e.getMessage(), Map.of(), request);
    }

    @ExceptionHandler({InvalidDocumentException.class, InvalidRequestException.class, InvalidSettingsException.class,
            InvalidVectorException.class, UnknownModelException.class})
    ResponseEntity<Object> invalid(RuntimeException e, WebRequest request) {
        return problem(e, HttpStatus.BAD_REQUEST, e.getMessage(), Map.of(), request);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<Object> tooLarge(BodyTooLargeException e, WebRequest request) {
        return bodyTooLarge(e, request);
    }

    /**
     * Tomcat could not decode the query string or form parameters (e.g. {@code ?commit=%FF}, not
     * UTF-8): the client's fault, with the status Tomcat chose (400, or 413 for too many parameters).
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> badParameters(InvalidParameterException e, WebRequest request) {
        HttpStatusCode status = e.getErrorCode() >= 400 && e.getErrorCode() < 500 ? HttpStatusCode.valueOf(e.getErrorCode())
                : HttpStatus.BAD_REQUEST;
        return problem(e, status, "the request parameters could not be read: " + e.getMessage(), Map.of(), request);
    }

    /** Anything else is our fault: logged with its stack trace, answered without it. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> internal(Exception e, WebRequest request) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            return bodyTooLarge(tooLarge, request);
        }
        LOG.error("internal error on {}", path(request), e);
        String what = e instanceof IndexException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return problem(e, HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + what, Map.of(), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            return bodyTooLarge(tooLarge, request);
        }
        return problem(e, HttpStatus.BAD_REQUEST, unreadable(e), Map.of(), request);
    }

    /** A query or path parameter of the wrong type ({@code ?refresh=maybe}): name it, its type and the value. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        return problem(e, HttpStatus.BAD_REQUEST, "parameter '" + name + "' must be " + typeName(e.getRequiredType())
                + ", was '" + e.getValue() + "'", Map.of(), request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return problem(e, HttpStatus.NOT_FOUND, "no such resource: " + e.getHttpMethod() + " /" + e.getResourcePath(), Map.of(), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String allowed = e.getSupportedMethods() == null ? "" : String.join(", ", e.getSupportedMethods());
        ResponseEntity<Object> r = problem(e, HttpStatus.METHOD_NOT_ALLOWED,
                "method " + e.getMethod() + " is not supported on " + path(request) + "; allowed: " + allowed, Map.of(), request);
        HttpHeaders h = new HttpHeaders();
        h.putAll(r.getHeaders());
        h.setAllow(e.getSupportedHttpMethods() == null ? java.util.Set.of() : e.getSupportedHttpMethods());
        return new ResponseEntity<>(r.getBody(), h, r.getStatusCode());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String supported = e.getSupportedMediaTypes().stream().map(Object::toString).collect(Collectors.joining(", "));
        return problem(e, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "content type '" + e.getContentType() + "' is not supported on "
                + path(request) + "; use " + supported, Map.of(), request);
    }

    /** Spring's own problems (405, 415, type mismatches of parameters, ...) pass here: counted. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        problems.count(status, e.getClass().getSimpleName());
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    private ResponseEntity<Object> bodyTooLarge(BodyTooLargeException e, WebRequest request) {
        return problem(e, HttpStatus.CONTENT_TOO_LARGE, e.getMessage(),
                Map.of("limit", "lsr.limits.max-body-bytes", "limit_value", e.limit()), request);
    }

    private ResponseEntity<Object> problem(Exception e, HttpStatusCode status, String detail, Map<String, Object> properties,
            WebRequest request) {
        ProblemDetail body = problems.create(status, detail, path(request), properties);
        return handleExceptionInternal(e, body, new HttpHeaders(), status, request);
    }

    private static String path(WebRequest request) {
        if (request instanceof ServletWebRequest s) {
            HttpServletRequest r = s.getRequest();
            return r.getRequestURI();
        }
        return null;
    }

    /** What was wrong with an unreadable body, naming the line and column or the field and the expected type. */
    static String unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            return "unknown field '" + fieldPath(u) + "'" + (known == null || known.isEmpty() ? ""
                    : "; expected one of: " + known.stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        }
        if (cause instanceof InvalidFormatException f) {
            return "field '" + fieldPath(f) + "': expected " + typeName(f.getTargetType()) + ", got " + describe(f.getValue());
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "field '" + fieldPath(m) + "': expected " + typeName(m.getTargetType()) + " (" + m.getOriginalMessage() + ")";
        }
        if (cause instanceof MismatchedInputException m) {
            // The whole body has the wrong shape (an array where an object belongs): Jackson's own
            // message would name our Java class.
            return "the request body must be a JSON " + (typeName(m.getTargetType()).equals("an array") ? "array" : "object");
        }
        if (cause instanceof StreamReadException p) {
            var loc = p.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            return "malformed JSON" + where + ": " + p.getOriginalMessage();
        }
        if (cause instanceof JacksonException j) {
            return "unreadable JSON: " + j.getOriginalMessage();
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            return "the request body is missing: this endpoint expects a JSON object";
        }
        return "unreadable request body: " + e.getMostSpecificCause().getMessage();
    }

    private static String fieldPath(DatabindException e) {
        StringBuilder sb = new StringBuilder();
        List<JacksonException.Reference> path = e.getPath();
        for (JacksonException.Reference r : path) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> t) {
        if (t == null) {
            return "another type";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class || t == Short.class) {
            return "an integer";
        }
        if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String describe(Object v) {
        return v instanceof String s ? "string \"" + s + "\"" : String.valueOf(v);
    }
}
