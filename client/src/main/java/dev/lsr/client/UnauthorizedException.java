package dev.lsr.client;

import java.util.Map;

/** 401 (or 403): the write needs the service's API key (`LsrClient.Builder.apiKey`). */
public final class UnauthorizedException extends LsrProblemException {
    private static final long serialVersionUID = 1L;

    UnauthorizedException(String request, int status, String title, String detail, Map<String, Object> problem) {
        super(request, status, title, detail, problem);
    }
}
