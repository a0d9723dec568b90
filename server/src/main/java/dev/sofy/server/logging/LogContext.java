package dev.sofy.server.logging;

/** The keys of the SLF4J MDC that log lines carry, in the text format and as JSON fields. */
public final class LogContext {
    /** The id of the request a log line is about, as its answer's {@code X-Request-Id} names it. */
    public static final String REQUEST_ID = "requestId";

    private LogContext() {}
}
