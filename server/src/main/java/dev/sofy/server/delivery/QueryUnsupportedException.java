package dev.sofy.server.delivery;

/** The carrier does not answer query_sm: it is not asked again. */
public final class QueryUnsupportedException extends RuntimeException {
    public QueryUnsupportedException(String message) {
        super(message, null, false, false);
    }
}
