package dev.sofy.server.webhooks;

/** No webhook endpoint with this id in the caller's account. */
public final class WebhookNotFoundException extends RuntimeException {
    public WebhookNotFoundException() {
        super("No webhook endpoint with this id in this account.", null, false, false);
    }
}
