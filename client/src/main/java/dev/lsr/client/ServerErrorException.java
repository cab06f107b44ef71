package dev.lsr.client;

import java.util.Map;

/** 5xx: the service failed; the detail says what it could. */
public final class ServerErrorException extends LsrProblemException {
    private static final long serialVersionUID = 1L;

    ServerErrorException(String request, int status, String title, String detail, Map<String, Object> problem) {
        super(request, status, title, detail, problem);
    }
}
