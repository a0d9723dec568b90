package dev.sofy.server.webhooks;

/** The account has as many endpoints as it may have. */
public final class TooManyWebhooksException extends RuntimeException {
    public TooManyWebhooksException(int limit) {
        super("An account has at most " + limit + " webhook endpoints. Remove one first.", null, false, false);
    }
}
