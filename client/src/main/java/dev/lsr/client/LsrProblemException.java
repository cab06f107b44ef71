package dev.lsr.client;

import java.util.Map;

/**
 * The server refused a request with an RFC 9457 problem. The message is the problem's
 * {@code detail} (which names the field, document or limit), prefixed with the request.
 * Subclasses say which kind; others (405, 415, ...) are this class itself.
 */
public sealed class LsrProblemException extends LsrException
        permits BadRequestException, UnauthorizedException, NotFoundException, ConflictException, LimitExceededException,
        ServerErrorException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final String detail;
    private final transient Map<String, Object> problem;

    LsrProblemException(String request, int status, String title, String detail, Map<String, Object> problem) {
        super(request + ": " + status + " " + (detail != null ? detail : title), null);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.problem = Map.copyOf(problem);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The problem's {@code title} (the status's reason phrase). */
    public String title() {
        return title;
    }

    /** The problem's {@code detail}: what was wrong and where. */
    public String detail() {
        return detail;
    }

    /** Every member of the problem body, extension members included (e.g. {@code limit}, {@code items}). */
    public Map<String, Object> problem() {
        return problem;
    }

    static LsrProblemException of(String request, int status, Map<String, Object> problem) {
        String title = problem.get("title") instanceof String s ? s : null;
        String detail = problem.get("detail") instanceof String s ? s : null;
        if (problem.get("limit") instanceof String limit) {
            long value = problem.get("limit_value") instanceof Number n ? n.longValue() : -1;
            return new LimitExceededException(request, status, title, detail, problem, limit, value);
        }
        return switch (status) {
            case 400 -> new BadRequestException(request, status, title, detail, problem);
            case 401, 403 -> new UnauthorizedException(request, status, title, detail, problem);
            case 404 -> new NotFoundException(request, status, title, detail, problem);
            case 409 -> new ConflictException(request, status, title, detail, problem);
            case 413 -> new LimitExceededException(request, status, title, detail, problem, null, -1);
            default -> status >= 500 ? new ServerErrorException(request, status, title, detail, problem)
                    : new LsrProblemException(request, status, title, detail, problem);
        };
    }
}
