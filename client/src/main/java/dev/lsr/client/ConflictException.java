package dev.lsr.client;

import java.util.Map;

/** 409: the collection exists already, or is open in another process. */
public final class ConflictException extends LsrProblemException {
    private static final long serialVersionUID = 1L;

    ConflictException(String request, int status, String title, String detail, Map<String, Object> problem) {
        super(request, status, title, detail, problem);
    }
}
