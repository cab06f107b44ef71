package dev.lsr.client;

import java.util.Map;

/** 404: no such collection, document, job or route. */
public final class NotFoundException extends LsrProblemException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String request, int status, String title, String detail, Map<String, Object> problem) {
        super(request, status, title, detail, problem);
    }
}
