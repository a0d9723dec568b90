package dev.sofy.server.ratelimit;

/** The key is over its limit: the request is not processed. */
public final class RateLimitedException extends RuntimeException {
    private final transient Decision decision;

    public RateLimitedException(Decision decision) {
        super("The key is over its limit of " + decision.limit() + " requests per second for "
                + decision.kind().description() + ".", null, false, false);
        this.decision = decision;
    }

    public Decision decision() {
        return decision;
    }
}
