package dev.sofy.server.webhooks;

/**
 * The body of a delivery: its event as the spec's callback describes it. Signatures are computed
 * over these bytes, so the same delivery must always give the same bytes.
 */
@FunctionalInterface
public interface WebhookPayloads {
    /** Standard Webhooks payloads are JSON. */
    String MEDIA_TYPE = "application/json";

    byte[] of(Delivery delivery);
}
