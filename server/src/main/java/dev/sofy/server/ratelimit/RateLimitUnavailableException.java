package dev.sofy.server.ratelimit;

/** The shared rate limits could not be read in the database: the request is refused, not let through. */
public final class RateLimitUnavailableException extends RuntimeException {
    public RateLimitUnavailableException(Throwable cause) {
        super("The rate limits could not be checked: the database did not answer. Retry later.", cause);
    }
}
