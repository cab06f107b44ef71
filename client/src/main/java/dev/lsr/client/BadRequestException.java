package dev.lsr.client;

import java.util.Map;

/** 400: the request is invalid (a bad field, vector, filter or document); the detail names it. */
public final class BadRequestException extends LsrProblemException {
    private static final long serialVersionUID = 1L;

    BadRequestException(String request, int status, String title, String detail, Map<String, Object> problem) {
        super(request, status, title, detail, problem);
    }
}
