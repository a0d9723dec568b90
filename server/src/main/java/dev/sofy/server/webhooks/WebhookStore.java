package dev.sofy.server.webhooks;

import java.time.Instant;
import java.util.List;

/** Where endpoints and their outbox are kept. */
public interface WebhookStore {

    void insert(Endpoint endpoint);

    /** The account's endpoints, oldest first. */
    List<Endpoint> list(long accountId);

    /** Whether the account had an endpoint with this id (its undelivered events go with it). */
    boolean delete(long accountId, String id);

    /** Claims up to {@code max} events due at {@code now} for {@code node}, until {@code leaseUntil}. */
    List<Delivery> claimDue(String node, int max, Instant now, Instant leaseUntil);

    /** Frees the events a node had claimed before it restarted. */
    int releaseClaims(String node);

    /** The endpoint took the event. */
    void delivered(long deliveryId, int status, Instant at);

    /** The attempt failed; tried again from {@code nextAttemptAt}, or never when it is null. */
    void failed(long deliveryId, Integer status, String error, Instant nextAttemptAt, Instant at);

    /** The endpoint is gone: it gets no more events, and those waiting are dropped. */
    void disable(String endpointId, String reason, Instant at);
}
