package dev.lsr.langchain4j;

/** A LangChain4j filter kind that lsr's filter language cannot express; the message names it and what is supported. */
public final class UnsupportedFilterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsupportedFilterException(String message) {
        super(message);
    }
}
