package dev.sofy.server.ratelimit;

/** A client address is over a limit of its own: the request is not processed. */
public final class AddressLimitedException extends RuntimeException {
    private final long retryAfterSeconds;

    public AddressLimitedException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
